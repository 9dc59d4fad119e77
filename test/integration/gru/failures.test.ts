import 'reflect-metadata';
import { Subject } from 'rxjs';
import { Gru, InMemoryLogger, InMemoryMetrics, InMemoryStateStore, Minion, Pipeline, Resource, minion, pipeline, resource, step } from 'minions';
import { Tally, WatchedLogger } from '../../support/events';

class Ev { n = 0; }
class Ctx { n = 0; }

@resource()
class Flaky extends Resource {
  static fail?: (e: Error) => void;
  async run(signal: AbortSignal) {
    await new Promise<void>((resolve, reject) => {
      Flaky.fail = reject;
      signal.addEventListener('abort', () => resolve());
    });
  }
}

@resource()
class Steady extends Resource {}

@pipeline({ event: Ev })
class Idle extends Pipeline<Ev> {
  async produceEvent(): Promise<Ev> { return new Promise<Ev>(() => undefined); } // never produces
}

@minion({ event: Ev, context: Ctx })
class NeedsFlaky extends Minion<Ev, Ctx> {
  constructor(readonly r: Flaky) { super(); }
  @step async s() {}
}

@minion({ event: Ev, context: Ctx })
class NeedsSteady extends Minion<Ev, Ctx> {
  constructor(readonly r: Steady) { super(); }
  @step async s() {}
}

describe('SEMANTICS 7: failures at runtime', () => {
  let gru: Gru | undefined;
  afterEach(async () => { await gru?.shutdown(); gru = undefined; });

  it('a resource whose run() rejects stops exactly the orchestrations that depend on it', async () => {
    const logger = new WatchedLogger();
    gru = await Gru.create({ stateStore: null, logger, metrics: null });
    const a = await gru.startOrchestration({ pipeline: Idle, minion: NeedsFlaky });
    const b = await gru.startOrchestration({ pipeline: Idle, minion: NeedsSteady });
    Flaky.fail!(new Error('connection lost'));
    await logger.logged(/^Orchestration stopped/);
    expect(gru.snapshot().orchestrations.map((o) => o.orchestrationId)).toEqual([b.orchestrationId]);
    expect(gru.snapshot().resources.map((r) => r.className)).toEqual(['Steady']);
    const line = logger.entries.find((e) => e.message === 'Stopping orchestration after a runtime failure');
    expect(line?.fields).toMatchObject({ orchestration_id: a.orchestrationId, error_message: 'connection lost' });
  });

  it("a minion whose run() returns before the stop stops its own orchestration, not the others", async () => {
    @minion({ event: Ev, context: Ctx })
    class Quits extends Minion<Ev, Ctx> {
      async run() { /* returns at once: a failure */ }
      @step async s() {}
    }
    const logger = new WatchedLogger();
    gru = await Gru.create({ stateStore: null, logger, metrics: null });
    const quits = await gru.startOrchestration({ pipeline: Idle, minion: Quits });
    const stays = await gru.startOrchestration({ pipeline: Idle, minion: NeedsSteady });
    await logger.logged(/^Orchestration stopped/);
    expect(gru.snapshot().orchestrations.map((o) => o.orchestrationId)).toEqual([stays.orchestrationId]);
    const line = logger.entries.find((e) => e.message === 'Stopping orchestration after a runtime failure');
    expect(line?.fields).toMatchObject({ orchestration_id: quits.orchestrationId, error_message: expect.stringMatching(/Quits\.run returned/) });
  });

  it('produceEvent() errors are counted each, logged once per pipeline and error type, retried after a backoff; the loop goes on', async () => {
    let calls = 0;
    @pipeline({ event: Ev })
    class Sometimes extends Pipeline<Ev> {
      async produceEvent(): Promise<Ev> {
        calls++;
        if (calls > 7) return new Promise<Ev>(() => undefined);
        if (calls % 2 === 0) throw new SyntaxError('bad record');
        return Object.assign(new Ev(), { n: calls });
      }
    }
    const metrics = new InMemoryMetrics();
    const logger = new WatchedLogger();
    gru = await Gru.create({ stateStore: null, logger, metrics, producerRetry: { delayMs: 1, jitterRatio: 0 } });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Sometimes, minion: NeedsSteady });
    await logger.logged('Workflow succeeded', 4);
    expect(metrics.value('minion_workflow_succeeded_total', { orchestration_id: orchestrationId })).toBe(4);
    expect(metrics.value('pipeline_error_total', { error_type: 'SyntaxError' })).toBe(3);
    // The same failure again within 10 s is not written again; the next line would carry the count.
    const lines = logger.findAll('Pipeline failed to produce event');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', fields: { error_type: 'SyntaxError', retry_attempt: 1, retry_delay_seconds: 0.001 } });
  });

  it('an async iterable that throws ends its pipeline and stops its subscribers', async () => {
    @pipeline({ event: Ev })
    class Breaks extends Pipeline<Ev> {
      async *events() { yield new Ev(); throw new Error('source gone'); }
    }
    const logger = new WatchedLogger();
    gru = await Gru.create({ stateStore: null, logger, metrics: null });
    await gru.startOrchestration({ pipeline: Breaks, minion: NeedsSteady });
    await logger.logged(/^Orchestration stopped/);
    expect(gru.snapshot()).toEqual({ orchestrations: [], pipelines: [], resources: [] });
  });

  it('a push source (Observable) overflowing a slow subscriber drops the oldest events and counts them', async () => {
    const subject = new Subject<Ev>();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const seen: number[] = [];
    @pipeline({ event: Ev })
    class Pushed extends Pipeline<Ev> { events() { return subject.asObservable(); } }
    @minion({ event: Ev, context: Ctx })
    class Slow extends Minion<Ev, Ctx> { @step async s() { seen.push(this.event.n); await gate; } }
    const metrics = new InMemoryMetrics();
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics, maxInFlight: 1, bufferSize: 3 });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Pushed, minion: Slow });
    for (let n = 1; n <= 10; n++) subject.next(Object.assign(new Ev(), { n }));
    subject.complete();
    release();
    await gru.whenIdle(orchestrationId);
    expect(seen).toEqual([1, 8, 9, 10]);
    expect(metrics.value('pipeline_event_dropped_total', { orchestration_id: orchestrationId })).toBe(6);
  });

  it('a workflow ignoring this.signal is abandoned at stop: reported, checkpoint kept, never advanced', async () => {
    let second = 0;
    const hanging = new Tally();
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    @pipeline({ event: Ev })
    class One extends Pipeline<Ev> { async *events() { yield new Ev(); } }
    @minion({ event: Ev, context: Ctx })
    class Stubborn extends Minion<Ev, Ctx> {
      @step async hang() { hanging.mark(); await gate; } // ignores this.signal
      @step async after() { second++; }
    }
    const store = new InMemoryStateStore();
    gru = await Gru.create({ stateStore: store, logger: new InMemoryLogger(), metrics: null, stopGraceMs: 10, cancelTimeoutMs: 10 });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: One, minion: Stubborn });
    await hanging.reached();
    const result = await gru.stopOrchestration(orchestrationId);
    expect(result).toMatchObject({ stopped: true, unfinishedWorkflows: 1 });
    expect(result.errors[0].message).toMatch(/abandoned; restart the process/);
    release(); // the step finally returns: the runner must not start the next one
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(second).toBe(0);
    expect(await store.getContextsForOrchestration(orchestrationId)).toHaveLength(1);
  });

  it('spawned background work is aborted and awaited when its component stops; failures are logged', async () => {
    let aborted = false;
    const logger = new WatchedLogger();
    @minion({ event: Ev, context: Ctx })
    class Spawner extends Minion<Ev, Ctx> {
      async startup() {
        this.spawn(async (signal) => { await new Promise((r) => signal.addEventListener('abort', r)); aborted = true; });
        this.spawn(async () => { throw new Error('background broke'); });
      }
      @step async s() {}
    }
    gru = await Gru.create({ stateStore: null, logger, metrics: null });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Idle, minion: Spawner });
    await logger.logged('Spawner service task failed');
    await gru.stopOrchestration(orchestrationId);
    expect(aborted).toBe(true);
  });

  it('shutdown is idempotent and concurrent callers share one attempt; concurrent stops share one result', async () => {
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Idle, minion: NeedsSteady });
    const [s1, s2] = await Promise.all([gru.stopOrchestration(orchestrationId), gru.stopOrchestration(orchestrationId)]);
    expect(s1).toBe(s2);
    const p1 = gru.shutdown();
    expect(gru.shutdown()).toBe(p1);
    await p1;
    const next = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    await next.shutdown();
  });
});

describe('SEMANTICS 4: owned background work on resources and pipelines', () => {
  it('a resource and a pipeline spawn work that is aborted and awaited when they stop', async () => {
    const stopped: string[] = [];
    @resource()
    class Poller extends Resource {
      async startup() { this.spawn(async (signal) => { await new Promise((r) => signal.addEventListener('abort', r)); stopped.push('resource'); }); }
    }
    @pipeline({ event: Ev })
    class Ticker extends Pipeline<Ev> {
      constructor(readonly poller: Poller) { super(); }
      async startup() { this.spawn(async (signal) => { await new Promise((r) => signal.addEventListener('abort', r)); stopped.push('pipeline'); }); }
      async produceEvent(): Promise<Ev> { return new Promise<Ev>(() => undefined); }
    }
    const gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Ticker, minion: NeedsSteady });
      await gru.stopOrchestration(orchestrationId);
      expect(stopped).toEqual(['pipeline', 'resource']);
    } finally {
      await gru.shutdown();
    }
  });
});
