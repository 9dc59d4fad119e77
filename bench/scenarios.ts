import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { Subject } from 'rxjs';
import { Gru, NoOpLogger, PrometheusMetrics, SqliteStateStore, WinstonLogger, type GruOptions } from '../src/index';
import { encodeCheckpoint, stepsFingerprint } from '../src/core/codec/checkpoint-codec';
import { orchestrationId } from '../src/core/identity/orchestration-id';
import { collectSteps } from '../src/core/metadata';
import {
  BenchContext, BenchFeed, IDS, LifecycleFeed, LifecycleMinion, ResumeMinion, ShardMinion, SilentFeed, Tally, TwoStepMinion,
  feedPlan, makeEvent,
} from './components';
import { NoopHolder, noops } from './isolated';
import { s6 } from './s6';

/** What one scenario run measured (the child process prints it). */
export interface ScenarioOutcome {
  /** Units of work done: workflows for S1-S4, cycles for S5, events for the floors. */
  n: number;
  wallS: number;
  /** `n / wallS` for workflow scenarios and floors; `null` for S5. */
  perSecond: number | null;
  extra: Record<string, unknown>;
  /** Peak RSS to report, when not this process's own (S6: its largest worker's). */
  peakRssMiB?: number;
}

export interface ScenarioDef {
  id: string;
  run(n: number, workDir: string): Promise<ScenarioOutcome>;
}

/** Benchmarks never write to the working directory: every file goes to a fresh temp dir. */
export function freshWorkDir(): string {
  return mkdtempSync(join(tmpdir(), 'minions-bench-'));
}

export function removeWorkDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The default SQLite store, counting committed deletes so the timer can wait for the last one. */
class CountingSqliteStore extends SqliteStateStore {
  private deletes = 0;
  private waiter: { target: number; resolve: () => void } | null = null;

  override deleteContext(workflowId: string): Promise<void> {
    const p = super.deleteContext(workflowId);
    p.then(() => {
      this.deletes++;
      if (this.waiter !== null && this.deletes >= this.waiter.target) {
        this.waiter.resolve();
        this.waiter = null;
      }
    }, () => undefined);
    return p;
  }

  /** Resolves once `target` deletes have committed. */
  reachDeletes(target: number): Promise<void> {
    if (this.deletes >= target) return Promise.resolve();
    return new Promise((resolve) => { this.waiter = { target, resolve }; });
  }
}

const quiet: Pick<GruOptions, 'logger' | 'metrics' | 'stateStore'> = { logger: new NoOpLogger(), metrics: null, stateStore: null };

function perSecond(n: number, wallS: number): number {
  return n / wallS;
}

/** Wall clock and this process's CPU time (user + system) from `start()` on. */
function startClock(): () => { wallS: number; cpuS: number } {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { wallS: (performance.now() - t0) / 1000, cpuS: +((c.user + c.system) / 1e6).toFixed(3) };
  };
}

/** S1 and variants: one pipeline, one two-step minion; the timer runs from start to the N-th mark. */
async function pipelineRun(n: number, options: GruOptions, afterDone?: (gru: Gru) => Promise<Record<string, unknown>>) {
  feedPlan.events = n;
  const gru = await Gru.create(options);
  try {
    const done = Tally.reach(n);
    const clock = startClock();
    const started = await gru.startOrchestration({ pipeline: BenchFeed, minion: TwoStepMinion });
    await done;
    const store = options.stateStore;
    if (store instanceof CountingSqliteStore) await store.reachDeletes(n);
    const { wallS, cpuS } = clock();
    const extra: Record<string, unknown> = { cpu_s: cpuS, ...(afterDone ? await afterDone(gru) : {}) };
    await gru.stopOrchestration(started.orchestrationId);
    return { n, wallS, perSecond: perSecond(n, wallS), extra };
  } finally {
    await gru.shutdown();
  }
}

async function sqliteRun(n: number, workDir: string, logger: GruOptions['logger']): Promise<ScenarioOutcome> {
  const path = join(workDir, 'bench.db');
  const store = new CountingSqliteStore({ path });
  const out = await pipelineRun(n, { logger, metrics: null, stateStore: store }, async () => {
    const leftover = (await store.getAllContexts()).length;
    return { leftover_rows: leftover, batches: store.stats.committedBatches, writes: store.stats.committedWrites, max_batch: store.maxBatchSize };
  });
  if (out.extra.leftover_rows !== 0) throw new Error(`S2: ${String(out.extra.leftover_rows)} checkpoints left after completion`);
  return out;
}

const s1: ScenarioDef = {
  id: 'S1',
  run: (n) => pipelineRun(n, quiet),
};

const s1Prom: ScenarioDef = {
  id: 'S1-prom',
  run: (n) => pipelineRun(n, { ...quiet, metrics: new PrometheusMetrics({ port: 0 }) }, async () => ({})),
};

const s2: ScenarioDef = {
  id: 'S2',
  run: (n, dir) => sqliteRun(n, dir, new NoOpLogger()),
};

const s2Winston: ScenarioDef = {
  id: 'S2-winston',
  run: (n, dir) => sqliteRun(n, dir, new WinstonLogger({ dir: join(dir, 'logs'), console: false })),
};

const s2Large: ScenarioDef = {
  id: 'S2-200k',
  run: (n, dir) => sqliteRun(n, dir, new NoOpLogger()),
};

const s3: ScenarioDef = {
  id: 'S3',
  async run(events) {
    const shards = 10;
    const n = events * shards;
    feedPlan.events = events;
    let open!: () => void;
    feedPlan.gate = new Promise<void>((r) => { open = r; });
    const gru = await Gru.create(quiet);
    try {
      const done = Tally.reach(n);
      const clock = startClock();
      const ids: string[] = [];
      for (let shard = 0; shard < shards; shard++) {
        ids.push((await gru.startOrchestration({ pipeline: BenchFeed, minion: ShardMinion, config: { shard } })).orchestrationId);
      }
      open();
      await done;
      const { wallS, cpuS } = clock();
      for (const id of ids) await gru.stopOrchestration(id);
      return { n, wallS, perSecond: perSecond(n, wallS), extra: { cpu_s: cpuS, events, orchestrations: shards } };
    } finally {
      await gru.shutdown();
    }
  },
};

/**
 * S4: the store holds `n` checkpoints saved before step index 1 of 2, encoded exactly as the
 * runner encodes them (same envelope, orchestration id and step fingerprint).
 */
const s4: ScenarioDef = {
  id: 'S4',
  async run(n, dir) {
    const path = join(dir, 'resume.db');
    const oid = orchestrationId({ minionId: IDS.s4, pipelineId: IDS.silentFeed, configId: '' });
    const steps = collectSteps(ResumeMinion).map((s) => s.name);
    const fingerprint = stepsFingerprint(steps);
    const seed = new SqliteStateStore({ path });
    await seed.startup();
    const writes: Promise<void>[] = [];
    for (let i = 1; i <= n; i++) {
      const event = makeEvent(i);
      const context = Object.assign(new BenchContext(), { seq: i, seen: true });
      const workflowId = randomUUID().replace(/-/g, '');
      const blob = encodeCheckpoint({
        schemaVersion: 2, orchestrationId: oid, minionId: IDS.s4, workflowId, event, context,
        nextStepIndex: 1, nextStepName: steps[1], stepsFingerprint: fingerprint, startedAt: Date.now(),
      });
      writes.push(seed.saveContext(workflowId, oid, blob));
    }
    await Promise.all(writes);
    await seed.shutdown();

    const store = new CountingSqliteStore({ path });
    const gru = await Gru.create({ logger: new NoOpLogger(), metrics: null, stateStore: store });
    try {
      const done = Tally.reach(n);
      const clock = startClock();
      const started = await gru.startOrchestration({ pipeline: SilentFeed, minion: ResumeMinion });
      const startS = clock().wallS;
      if (started.orchestrationId !== oid || started.resumedWorkflows !== n) {
        throw new Error(`S4: expected ${n} resumed workflows of ${oid}, got ${started.resumedWorkflows} of ${started.orchestrationId}`);
      }
      await done;
      await store.reachDeletes(n);
      const { wallS, cpuS } = clock();
      const leftover = (await store.getAllContexts()).length;
      if (leftover !== 0) throw new Error(`S4: ${leftover} checkpoints left after completion`);
      await gru.stopOrchestration(started.orchestrationId);
      return { n, wallS, perSecond: perSecond(n, wallS), extra: { cpu_s: cpuS, start_ms: +(startS * 1000).toFixed(1), leftover_rows: leftover } };
    } finally {
      await gru.shutdown();
    }
  },
};

/** RSS and V8 heap in use, MiB, after a full collection when `--expose-gc` is on (the parent sets it for S5). */
function memoryMiB(): { rss: number; heap: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20 };
}

/** S5: start/stop cycles of one orchestration whose minion depends on a resource chain. */
const s5: ScenarioDef = {
  id: 'S5',
  async run(cycles) {
    const gru = await Gru.create(quiet);
    try {
      let at20 = { rss: NaN, heap: NaN };
      let atEnd = { rss: NaN, heap: NaN };
      const clock = startClock();
      let timed = 0;
      for (let i = 1; i <= cycles; i++) {
        const c0 = performance.now();
        const { orchestrationId: id } = await gru.startOrchestration({ pipeline: LifecycleFeed, minion: LifecycleMinion });
        await gru.stopOrchestration(id);
        timed += performance.now() - c0;
        if (i === Math.min(20, cycles)) at20 = memoryMiB();
        if (i === cycles) atEnd = memoryMiB();
      }
      const { wallS, cpuS } = clock();
      if (gru.snapshot().orchestrations.length !== 0 || gru.snapshot().resources.length !== 0) {
        throw new Error('S5: orchestrations or resources left running after the last stop');
      }
      return {
        n: cycles, wallS, perSecond: null,
        extra: {
          cpu_s: cpuS,
          ms_per_cycle: +(timed / cycles).toFixed(4),
          rss_at_cycle_20_mib: +at20.rss.toFixed(2),
          rss_at_last_cycle_mib: +atEnd.rss.toFixed(2),
          rss_growth_mib: +(atEnd.rss - at20.rss).toFixed(2),
          heap_growth_mib: +(atEnd.heap - at20.heap).toFixed(3),
          gc_before_rss: typeof (globalThis as { gc?: unknown }).gc === 'function',
        },
      };
    } finally {
      await gru.shutdown();
    }
  },
};

/** F1: what S1 costs with no runtime: an RxJS Subject to an async function awaiting two no-op async calls. */
const f1: ScenarioDef = {
  id: 'F1',
  async run(n) {
    const noop = async (): Promise<void> => undefined;
    const subject = new Subject<ReturnType<typeof makeEvent>>();
    let finished = 0;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => { resolveDone = r; });
    let total = 0;
    subject.subscribe((event) => {
      void (async () => {
        await noop();
        total += event.price;
        await noop();
        if (++finished === n) resolveDone();
      })();
    });
    const clock = startClock();
    for (let i = 1; i <= n; i++) subject.next(makeEvent(i));
    await done;
    const { wallS, cpuS } = clock();
    return { n, wallS, perSecond: perSecond(n, wallS), extra: { cpu_s: cpuS, checksum: Math.round(total) } };
  },
};

/**
 * F2: better-sqlite3 on a fresh WAL file doing the row writes S2 does (per workflow: three
 * upserts, at workflow_start and before each of the two steps, and one delete; blobs of S2's
 * size; up to 1,000 workflows in flight as the default maxInFlight allows), in transactions of
 * the store's default batch size.
 */
const f2: ScenarioDef = {
  id: 'F2',
  async run(n, dir) {
    const batchSize = new SqliteStateStore().maxBatchSize;
    const oid = orchestrationId({ minionId: IDS.s1, pipelineId: IDS.feed, configId: '' });
    const steps = collectSteps(TwoStepMinion).map((s) => s.name);
    const blob = Buffer.from(encodeCheckpoint({
      schemaVersion: 2, orchestrationId: oid, minionId: IDS.s1, workflowId: randomUUID().replace(/-/g, ''), event: makeEvent(12345),
      context: Object.assign(new BenchContext(), { seq: 12345, seen: true, total: 112.5 }),
      nextStepIndex: 1, nextStepName: steps[1], stepsFingerprint: stepsFingerprint(steps), startedAt: Date.now(),
    }));
    const db = new Database(join(dir, 'floor.db'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE workflows (workflow_id TEXT PRIMARY KEY, orchestration_id TEXT NOT NULL, context BLOB NOT NULL)');
    db.exec('CREATE INDEX idx_workflows_orchestration_id ON workflows (orchestration_id)');
    const upsert = db.prepare('INSERT INTO workflows (workflow_id, orchestration_id, context) VALUES (?, ?, ?) ' +
      'ON CONFLICT(workflow_id) DO UPDATE SET orchestration_id = excluded.orchestration_id, context = excluded.context');
    const remove = db.prepare('DELETE FROM workflows WHERE workflow_id = ?');
    type Write = [id: string, del: boolean];
    const apply = db.transaction((writes: Write[]) => {
      for (const [id, del] of writes) {
        if (del) remove.run(id);
        else upsert.run(id, oid, blob);
      }
    });
    const window = 1000;
    const clock = startClock();
    let pending: Write[] = [];
    let transactions = 0;
    const push = (w: Write): void => {
      pending.push(w);
      if (pending.length === batchSize) { apply.immediate(pending); transactions++; pending = []; }
    };
    for (let first = 0; first < n; first += window) {
      const ids: string[] = [];
      for (let i = first; i < Math.min(n, first + window); i++) ids.push(randomUUID().replace(/-/g, ''));
      for (let phase = 0; phase < 3; phase++) for (const id of ids) push([id, false]);
      for (const id of ids) push([id, true]);
    }
    if (pending.length > 0) { apply.immediate(pending); transactions++; }
    const { wallS, cpuS } = clock();
    const left = (db.prepare('SELECT COUNT(*) AS c FROM workflows').get() as { c: number }).c;
    db.close();
    if (left !== 0) throw new Error(`F2: ${left} rows left`);
    return { n, wallS, perSecond: perSecond(n, wallS), extra: { cpu_s: cpuS, blob_bytes: blob.length, batch: batchSize, transactions } };
  },
};

/**
 * S8: N awaited calls, one at a time, to a no-op async method of a resource in process, in a
 * worker thread, in a child process (the cost of one call across the boundary); then N calls
 * with 64 in flight (`pipelined_per_s`). Timed after one warm-up call; the hosts' start is not timed.
 */
function s8(id: string, which: keyof typeof noops): ScenarioDef {
  return {
    id,
    async run(n) {
      const gru = await Gru.create(quiet);
      try {
        await gru.startOrchestration({ pipeline: SilentFeed, minion: NoopHolder });
        const target = noops[which]!;
        await target.noop();
        const clock = startClock();
        for (let i = 0; i < n; i++) await target.noop();
        const { wallS, cpuS } = clock();
        const pipelined = startClock();
        let next = 0;
        await Promise.all(Array.from({ length: 64 }, async () => { while (next++ < n) await target.noop(); }));
        const p = pipelined();
        return {
          n, wallS, perSecond: perSecond(n, wallS),
          extra: { cpu_s: cpuS, us_per_call: +((wallS / n) * 1e6).toFixed(2), pipelined_per_s: Math.round(n / p.wallS) },
        };
      } finally {
        await gru.shutdown();
      }
    },
  };
}

/**
 * S7: the flight-delays sample as `npm start` runs it (its state store, `WinstonLogger`,
 * `PrometheusMetrics`, the two resources, three steps) on the first N real flights: from
 * flights-20k.json up to 20,000, from flights-3m.parquet above. The rate is the sample's own
 * (flights / its wall time, `Gru.create` to the end of shutdown); opening the input is not timed.
 */
const s7: ScenarioDef = {
  id: 'S7',
  async run(n, dir) {
    // Loaded here, not at the top: the other scenarios' children (and their peak RSS) do without the sample's readers.
    const { airportsFile, datasetFile, defaultFlightsFile } = await import('../samples/flight-delays/datasets');
    const { openFlights } = await import('../samples/flight-delays/input');
    const { runFlightDelays } = await import('../samples/flight-delays/run');
    const { SampleSettings } = await import('../samples/flight-delays/settings');
    const file = n <= 20_000 ? defaultFlightsFile() : datasetFile('flights-3m.parquet');
    const input = await openFlights(file, { limit: n });
    if (input.count !== n) throw new Error(`S7: ${file} holds ${input.count} flights, fewer than N = ${n}`);
    const settings = new SampleSettings(join(dir, 'data'), input, airportsFile(), 60);
    const c0 = process.cpuUsage();
    const result = await runFlightDelays({ settings, metrics: new PrometheusMetrics({ port: 0 }) });
    const cpu = process.cpuUsage(c0);
    if (result.totals.flights !== n || result.totals.failed !== 0) {
      throw new Error(`S7: ${result.totals.flights} flights decided (${result.totals.failed} failed), expected ${n}`);
    }
    return {
      n, wallS: result.seconds, perSecond: perSecond(n, result.seconds),
      extra: { cpu_s: +((cpu.user + cpu.system) / 1e6).toFixed(3), alerts: result.totals.alerts, input: basename(file) },
    };
  },
};

const SCENARIOS: readonly ScenarioDef[] = [f1, f2, s1, s1Prom, s2, s2Winston, s2Large, s3, s4, s5, s6(1), s6(2), s6(3), s7,
  s8('S8', 'inProcess'), s8('S8-worker', 'worker'), s8('S8-process', 'child')];

/** The runner of a scenario of the catalog. */
export function scenarioById(id: string): ScenarioDef | undefined {
  return SCENARIOS.find((s) => s.id.toLowerCase() === id.toLowerCase());
}
