import 'reflect-metadata';
import {
  Gru, InMemoryLogger, InMemoryStateStore, Minion, OrchestrationStartError, Pipeline, Resource, ShutdownTimeoutError, StartupTimeoutError,
  minion, pipeline, resource, step,
} from 'minions';

class Ev { n = 0; }
class Ctx { n = 0; }
const never = <T>() => new Promise<T>(() => undefined);

@pipeline({ event: Ev })
class Idle extends Pipeline<Ev> {
  async produceEvent(): Promise<Ev> { return never(); }
}

@resource()
class HangsAtStartup extends Resource {
  async startup() { await never(); }
}

@minion({ event: Ev, context: Ctx })
class NeedsHanging extends Minion<Ev, Ctx> {
  constructor(readonly r: HangsAtStartup) { super(); }
  @step async s() {}
}

@minion({ event: Ev, context: Ctx })
class MinionHangsAtStartup extends Minion<Ev, Ctx> {
  async startup() { await never(); }
  @step async s() {}
}

@resource()
class HangsAtShutdown extends Resource {
  async shutdown() { await never(); }
}

@minion({ event: Ev, context: Ctx })
class NeedsHangingShutdown extends Minion<Ev, Ctx> {
  constructor(readonly r: HangsAtShutdown) { super(); }
  @step async s() {}
}

@minion({ event: Ev, context: Ctx })
class RunQuits extends Minion<Ev, Ctx> {
  async run() { /* returns at once: a runtime failure */ }
  @step async s() {}
}

describe('SEMANTICS 10 and 7: one component lifecycle with deadlines', () => {
  let gru: Gru | undefined;
  afterEach(async () => { await gru?.shutdown(); gru = undefined; });

  it('a resource startup() past startupTimeoutMs fails the start with a StartupTimeoutError naming class, kind and stage; nothing stays', async () => {
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null, startupTimeoutMs: 50 });
    const attempt = gru.startOrchestration({ pipeline: Idle, minion: NeedsHanging });
    await expect(attempt).rejects.toBeInstanceOf(OrchestrationStartError);
    const cause = (await attempt.catch((e: OrchestrationStartError) => e.cause)) as StartupTimeoutError;
    expect(cause).toBeInstanceOf(StartupTimeoutError);
    expect(cause).toMatchObject({ code: 'MINIONS_STARTUP_TIMEOUT', component: 'HangsAtStartup', kind: 'resource', stage: 'startup', timeoutMs: 50 });
    expect(cause.message).toMatch(/resource HangsAtStartup: startup\(\) did not finish within 50 ms/);
    expect(gru.snapshot()).toEqual({ orchestrations: [], pipelines: [], resources: [] });
  });

  it('a failed start names the component that failed and its stage, however deep in the resource graph', async () => {
    @resource()
    class BadConstructor extends Resource {
      constructor() { super(); throw new Error('missing DATABASE_URL'); }
    }
    @resource()
    class UsesBad extends Resource {
      constructor(readonly bad: BadConstructor) { super(); }
    }
    @minion({ event: Ev, context: Ctx })
    class NeedsUsesBad extends Minion<Ev, Ctx> {
      constructor(readonly r: UsesBad) { super(); }
      @step async s() {}
    }
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    await expect(gru.startOrchestration({ pipeline: Idle, minion: NeedsUsesBad }))
      .rejects.toThrow(/at stage construct \(resource BadConstructor, stage construct\): missing DATABASE_URL/);
  });

  it("a minion startup() past startupTimeoutMs fails the start at stage startup", async () => {
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null, startupTimeoutMs: 50 });
    const attempt = gru.startOrchestration({ pipeline: Idle, minion: MinionHangsAtStartup });
    await expect(attempt).rejects.toThrow(/at stage startup \(minion MinionHangsAtStartup, stage startup\): minion MinionHangsAtStartup: startup\(\) did not finish within 50 ms/);
  });

  it('a port startup() past startupTimeoutMs fails Gru.create, and a new Gru can be created afterwards', async () => {
    class HangingStore extends InMemoryStateStore {
      override async startup() { await never(); }
    }
    const attempt = Gru.create({ stateStore: new HangingStore(), logger: new InMemoryLogger(), metrics: null, startupTimeoutMs: 50 });
    await expect(attempt).rejects.toMatchObject({ code: 'MINIONS_STARTUP_TIMEOUT', component: 'HangingStore', kind: 'store' });
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
  });

  it('a shutdown() past shutdownTimeoutMs is cut and reported as a ShutdownTimeoutError; the stop completes', async () => {
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null, shutdownTimeoutMs: 50 });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Idle, minion: NeedsHangingShutdown });
    const result = await gru.stopOrchestration(orchestrationId);
    expect(result.stopped).toBe(true);
    const timeout = result.errors.find((e) => e instanceof ShutdownTimeoutError) as ShutdownTimeoutError;
    expect(timeout).toMatchObject({ code: 'MINIONS_SHUTDOWN_TIMEOUT', component: 'HangsAtShutdown', kind: 'resource', stage: 'shutdown' });
    expect(gru.snapshot().resources).toEqual([]);
  });

  it('an orchestration stopped by a runtime failure ends in state failed', async () => {
    const logger = new InMemoryLogger();
    gru = await Gru.create({ stateStore: null, logger, metrics: null });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Idle, minion: RunQuits });
    while (!logger.entries.some((e) => e.message.startsWith('Orchestration stopped'))) await new Promise((r) => setImmediate(r));
    const stopped = logger.entries.find((e) => e.message.startsWith('Orchestration stopped'));
    expect(stopped?.fields).toMatchObject({ orchestration_id: orchestrationId, state: 'failed' });
  });
});
