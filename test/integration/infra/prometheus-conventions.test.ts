import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { from, Subject } from 'rxjs';
import {
  AbortWorkflow, Gru, InMemoryLogger, METRICS, Minion, Pipeline, PrometheusMetrics, Resource, SqliteStateStore,
  minion, pipeline, resource, step,
} from 'minions';
import { FaultInjectingStateStore } from 'minions/testing';
import { families, promtoolCheckMetrics, requirePromtool, scrape } from '../../support/promtool';

class Ev { n = 0; }
class Ctx { n = 0; }
const ev = (n: number): Ev => Object.assign(new Ev(), { n });
const until = async (cond: () => boolean): Promise<void> => { while (!cond()) await new Promise((r) => setTimeout(r, 5)); };

/** Metrics of the table that no workflow of the scenario below can cause yet. */
const NOT_EMITTED_BY_THE_SCENARIO = new Set(['pipeline_late_subscriber_total', 'pipeline_disk_full_paused', 'minion_workflow_step_retries_total']);

@pipeline({ event: Ev })
class Four extends Pipeline<Ev> {
  events() { return from([1, 2, 3, 4].map(ev)); }
}

@pipeline({ event: Ev })
class Pushed extends Pipeline<Ev> {
  static readonly subject = new Subject<Ev>();
  events() { return Pushed.subject.asObservable(); }
}

@pipeline({ event: Ev })
class Breaks extends Pipeline<Ev> {
  static readonly subject = new Subject<Ev>();
  events() { return Breaks.subject.asObservable(); }
}

@resource()
class Scorer extends Resource {
  async score(n: number) { if (n === 4) throw new RangeError('four'); return n; }
}

/** 1 and 2 succeed, 3 aborts, 4 fails in a resource call. */
@minion({ event: Ev, context: Ctx })
class Scored extends Minion<Ev, Ctx> {
  constructor(readonly scorer: Scorer) { super(); }
  @step async score() { this.context.n = await this.scorer.score(this.event.n); }
  @step async decide() { if (this.event.n === 3) throw new AbortWorkflow('three'); }
}

let release!: () => void;
const gate = new Promise<void>((r) => { release = r; });

@minion({ event: Ev, context: Ctx })
class Slow extends Minion<Ev, Ctx> {
  @step async wait() { await gate; }
}

describe('SEMANTICS 10: metric names follow Prometheus conventions', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'prom-conventions-'));
    requirePromtool();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the /metrics endpoint passes promtool check metrics', async () => {
    // A checkpoint save that fails once (counted, the workflow goes on) and two terminal deletes
    // that fail (the workflow waits for them: the blocked gauge), on a real SQLite file.
    const store = new FaultInjectingStateStore(new SqliteStateStore({ path: join(dir, 'minions.db') }))
      .failNextSaves(1).failNextDeletes(2);
    const metrics = new PrometheusMetrics({ port: 0 });
    const gru = await Gru.create({
      stateStore: store, logger: new InMemoryLogger(), metrics, admin: false,
      maxInFlight: 1, bufferSize: 4, memorySoftLimitMiB: 1024 * 1024, // the guard's gauges, without tripping it
      persistenceRetry: { delayMs: 1, maxDelayMs: 4, jitterRatio: 0, warnEveryMs: 0 },
    });
    try {
      const scored = await gru.startOrchestration({ pipeline: Four, minion: Scored });
      const slow = await gru.startOrchestration({ pipeline: Pushed, minion: Slow });
      const broken = await gru.startOrchestration({ pipeline: Breaks, minion: Slow });
      for (let n = 1; n <= 10; n++) Pushed.subject.next(ev(n)); // one runs, four wait, five are dropped
      Pushed.subject.complete();
      Breaks.subject.error(new SyntaxError('feed broke'));
      release();
      await gru.whenIdle(scored.orchestrationId);
      await gru.whenIdle(slow.orchestrationId);
      await until(() => !gru.snapshot().orchestrations.some((o) => o.orchestrationId === broken.orchestrationId));

      // The event-loop histogram has an observation for each 10 ms timer run since the start.
      const { status, body } = await scrape(metrics.url!);
      expect(status).toBe(200);
      const declared = families(body);
      const missing = Object.keys(METRICS).filter((name) => !NOT_EMITTED_BY_THE_SCENARIO.has(name) && !declared.has(name));
      expect(missing).toEqual([]);
      expect(body).toContain('nodejs_heap_size_total_bytes'); // prom-client's default metrics are linted too

      expect(await promtoolCheckMetrics(body)).toEqual({ code: 0, output: '' });
    } finally {
      await gru.shutdown();
    }
  });

  it('every metric of the METRICS table, emitted once, passes promtool check metrics', async () => {
    const metrics = new PrometheusMetrics({ port: 0 });
    await metrics.startup();
    try {
      for (const [name, def] of Object.entries(METRICS)) {
        const labels = Object.fromEntries(def.labels.map((label) => [label, 'x']));
        if (def.kind === 'counter') metrics.inc(name, labels);
        else if (def.kind === 'gauge') metrics.set(name, labels, 1);
        else metrics.observe(name, labels, 0.5);
      }
      const { body } = await scrape(metrics.url!);
      expect([...families(body).keys()]).toEqual(expect.arrayContaining(Object.keys(METRICS)));
      expect(await promtoolCheckMetrics(body)).toEqual({ code: 0, output: '' });
    } finally {
      await metrics.shutdown();
    }
  });
});
