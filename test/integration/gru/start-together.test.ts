import 'reflect-metadata';
import {
  Gru, InMemoryLogger, InMemoryMetrics, Minion, OrchestrationStartError, Pipeline, Resource, minion, pipeline, resource, step,
} from 'minions';

class Ev { n = 0; }
class Ctx { n = 0; }
const EVENTS = 1461;

/** A finite source: ends after EVENTS events. */
@pipeline({ event: Ev })
class Finite extends Pipeline<Ev> {
  static gate?: Promise<void>;
  async *events() {
    for (let n = 1; n <= EVENTS; n++) {
      if (n === 2 && Finite.gate) await Finite.gate; // lets a test hold the source after its first event
      yield Object.assign(new Ev(), { n });
    }
  }
}

/** Counts the events each minion class saw. */
const seen = new Map<string, number>();
const count = (who: string) => seen.set(who, (seen.get(who) ?? 0) + 1);

@resource()
class SlowToStart extends Resource {
  /** Yields to the event loop many times, as a connection handshake would, without a timer. */
  async startup() { for (let i = 0; i < 200; i++) await new Promise((r) => setImmediate(r)); }
}

@minion({ event: Ev, context: Ctx })
class Quick extends Minion<Ev, Ctx> {
  @step async one() { count('Quick'); }
}

@minion({ event: Ev, context: Ctx })
class Slow extends Minion<Ev, Ctx> {
  constructor(readonly r: SlowToStart) { super(); }
  @step async one() { count('Slow'); }
}

@minion({ event: Ev, context: Ctx })
class BrokenStartup extends Minion<Ev, Ctx> {
  static shutdowns = 0;
  async startup() { throw new Error('cannot open the model file'); }
  @step async one() {}
}

@minion({ event: Ev, context: Ctx })
class CleansUp extends Minion<Ev, Ctx> {
  static shutdowns = 0;
  constructor(readonly r: SlowToStart) { super(); }
  async shutdown() { CleansUp.shutdowns++; }
  @step async one() {}
}

describe('SEMANTICS 10: hot sources and orchestrations started together', () => {
  let gru: Gru | undefined;
  beforeEach(() => { seen.clear(); Finite.gate = undefined; });
  afterEach(async () => { await gru?.shutdown(); gru = undefined; });

  it('orchestrations started together on one finite pipeline each see every event, even when one starts slowly', async () => {
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    const started = await gru.startOrchestrations([{ pipeline: Finite, minion: Quick }, { pipeline: Finite, minion: Slow }]);
    expect(started.map((s) => s.alreadyRunning)).toEqual([false, false]);
    await gru.whenIdle();
    expect(seen.get('Quick')).toBe(EVENTS);
    expect(seen.get('Slow')).toBe(EVENTS);
    expect(gru.snapshot().pipelines).toHaveLength(1);
  });

  it('a late subscriber to a pipeline that already produced gets a warn line with the count it missed, and a counter', async () => {
    const logger = new InMemoryLogger();
    const metrics = new InMemoryMetrics();
    gru = await Gru.create({ stateStore: null, logger, metrics });
    let open!: () => void;
    Finite.gate = new Promise((r) => { open = r; });
    await gru.startOrchestration({ pipeline: Finite, minion: Quick });
    while (metrics.value('pipeline_event_produced_total') < 1) await new Promise((r) => setImmediate(r));
    const late = await gru.startOrchestration({ pipeline: Finite, minion: Slow });
    open();
    await gru.whenIdle();
    expect(seen.get('Quick')).toBe(EVENTS);
    expect(seen.get('Slow')).toBe(EVENTS - 1);
    const line = logger.entries.find((e) => e.message === 'Subscriber attached to a pipeline that already produced events');
    expect(line).toMatchObject({ level: 'warn', fields: { orchestration_id: late.orchestrationId, missed_events: 1 } });
    expect(String(line?.fields?.pipeline_id)).toMatch(/:Finite$/);
    expect(metrics.value('pipeline_late_subscriber_total', { orchestration_id: late.orchestrationId })).toBe(1);
  });

  it('all start or none: when one of the batch fails, the others are rolled back and nothing keeps running', async () => {
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    const attempt = gru.startOrchestrations([{ pipeline: Finite, minion: CleansUp }, { pipeline: Finite, minion: BrokenStartup }]);
    await expect(attempt).rejects.toBeInstanceOf(OrchestrationStartError);
    await expect(attempt).rejects.toThrow(/BrokenStartup on Finite\) at stage startup \(minion BrokenStartup, stage startup\): cannot open the model file/);
    expect(CleansUp.shutdowns).toBe(1);
    expect(gru.snapshot()).toEqual({ orchestrations: [], pipelines: [], resources: [] });
  });

  it('a spec listed twice, or already running, reports alreadyRunning', async () => {
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    const first = await gru.startOrchestrations([{ pipeline: Finite, minion: Quick }, { pipeline: Finite, minion: Quick }]);
    expect(first.map((r) => r.alreadyRunning)).toEqual([false, true]);
    expect(first[0].orchestrationId).toBe(first[1].orchestrationId);
    const again = await gru.startOrchestrations([{ pipeline: Finite, minion: Quick }]);
    expect(again[0]).toEqual({ orchestrationId: first[0].orchestrationId, alreadyRunning: true, resumedWorkflows: 0 });
  });
});
