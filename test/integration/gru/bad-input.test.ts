import 'reflect-metadata';
import {
  ConfigError, Gru, GruAlreadyRunningError, InMemoryLogger, InvalidComponentError, Minion, MinionsError, OrchestrationNotFoundError,
  OrchestrationStartError, Pipeline, minion, pipeline, step,
} from 'minions';

class Ev { n = 0; }
class Ctx { n = 0; }
class Cfg { threshold = 60; label = 'x'; }

@pipeline({ event: Ev })
class Feed extends Pipeline<Ev> { async *events() { yield new Ev(); } }

describe('bad input is refused with a MinionsError naming the thing', () => {
  let gru: Gru | undefined;
  beforeEach(async () => { gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null }); });
  afterEach(async () => { await gru?.shutdown(); gru = undefined; });

  it('a minion without steps', async () => {
    @minion({ event: Ev, context: Ctx })
    class Empty extends Minion<Ev, Ctx> {}
    const err = await gru!.startOrchestration({ pipeline: Feed, minion: Empty }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidComponentError);
    expect(err.message).toMatch(/Empty has no @step methods/);
  });

  it('a context class holding a function', async () => {
    class BadCtx { n = 0; fn = () => 1; }
    @minion({ event: Ev, context: BadCtx })
    class Holder extends Minion<Ev, BadCtx> { @step async s() {} }
    const err = await gru!.startOrchestration({ pipeline: Feed, minion: Holder }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidComponentError);
    expect(err.message).toMatch(/BadCtx/);
    expect(err.message).toMatch(/fn/);
  });

  it('an instance field shadowing this.event', async () => {
    @minion({ event: Ev, context: Ctx })
    class Shadow extends Minion<Ev, Ctx> {
      // @ts-expect-error the accessor is shadowed on purpose
      event = new Ev();
      @step async s() {}
    }
    const err = await gru!.startOrchestration({ pipeline: Feed, minion: Shadow }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidComponentError);
    expect(err.message).toMatch(/declare event/);
    expect(gru!.snapshot().pipelines).toEqual([]);
  });

  it('a pipeline with neither produceEvent nor events', async () => {
    @pipeline({ event: Ev })
    class Silent extends Pipeline<Ev> {}
    @minion({ event: Ev, context: Ctx })
    class M extends Minion<Ev, Ctx> { @step async s() {} }
    const err = await gru!.startOrchestration({ pipeline: Silent, minion: M }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidComponentError);
    expect(err.message).toMatch(/exactly one of produceEvent\(\), produceEvents\(\) or events\(\), found none/);
  });

  it('an unknown inline config key and a wrong kind are ConfigErrors naming key and kind', async () => {
    @minion({ event: Ev, context: Ctx, config: Cfg })
    class Configured extends Minion<Ev, Ctx, Cfg> { @step async s() {} }
    // @ts-expect-error misspelt key is a compile error too
    const unknown = await gru!.startOrchestration({ pipeline: Feed, minion: Configured, config: { treshold: 5 } }).catch((e) => e);
    expect(unknown).toBeInstanceOf(ConfigError);
    expect(unknown.message).toMatch(/treshold/);
    const wrong = await gru!.startOrchestration({ pipeline: Feed, minion: Configured, config: { threshold: 'high' as unknown as number } }).catch((e) => e);
    expect(wrong).toBeInstanceOf(ConfigError);
    expect(wrong.key).toBe('threshold');
    expect(wrong.expected).toBe('a number');
  });

  it('a startup() failure rejects with OrchestrationStartError and rolls back', async () => {
    @minion({ event: Ev, context: Ctx })
    class Boom extends Minion<Ev, Ctx> {
      async startup() { throw new Error('no connection'); }
      @step async s() {}
    }
    const err = await gru!.startOrchestration({ pipeline: Feed, minion: Boom }).catch((e) => e);
    expect(err).toBeInstanceOf(OrchestrationStartError);
    expect((err.cause as Error).message).toBe('no connection');
    expect(gru!.snapshot()).toEqual({ orchestrations: [], pipelines: [], resources: [] });
  });

  it('a second live Gru is refused; stop of an unknown id is OrchestrationNotFoundError', async () => {
    await expect(Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null })).rejects.toBeInstanceOf(GruAlreadyRunningError);
    await expect(gru!.stopOrchestration('nope')).rejects.toBeInstanceOf(OrchestrationNotFoundError);
    const err = await gru!.stopOrchestration('nope').catch((e) => e);
    expect(MinionsError.is(err)).toBe(true);
    expect(err.code).toBe('MINIONS_ORCHESTRATION_NOT_FOUND');
  });
});
