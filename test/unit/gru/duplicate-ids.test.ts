import 'reflect-metadata';
import { Gru, InMemoryLogger, InMemoryStateStore, InvalidComponentError, Minion, Pipeline, Resource, minion, pipeline, resource, step } from 'minions';
import { DupA } from './fixtures/dup-a';
import { DupB } from './fixtures/dup-b';
import { Feed } from './fixtures/feed';
import { Ctx, Ev } from './fixtures/model';

const SHARED = '5a5a5a5a-0000-4000-8000-000000000001';

@resource({ id: SHARED })
class CacheA extends Resource {}

@resource({ id: SHARED })
class CacheB extends Resource {}

@minion({ event: Ev, context: Ctx })
class UsesCacheA extends Minion<Ev, Ctx> {
  constructor(readonly cache: CacheA) { super(); }
  @step async only() { /* nothing */ }
}

// One id on a pipeline and a minion: different kinds, no conflict.
@pipeline({ event: Ev, id: '5a5a5a5a-0000-4000-8000-000000000002' })
class SameIdFeed extends Pipeline<Ev> {
  async *events() { /* none */ }
}

@minion({ event: Ev, context: Ctx, id: '5a5a5a5a-0000-4000-8000-000000000002' })
class SameIdMinion extends Minion<Ev, Ctx> {
  @step async only() { /* nothing */ }
}

describe('SEMANTICS 2: two loaded classes claiming one (kind, id) are refused at start, naming both', () => {
  let gru: Gru;
  beforeEach(async () => { gru = await Gru.create({ stateStore: new InMemoryStateStore(), logger: new InMemoryLogger(), metrics: null }); });
  afterEach(async () => { await gru.shutdown(); });

  it('refuses either minion class (decorators themselves did not throw), naming both file:Class addresses', async () => {
    for (const cls of [DupA, DupB]) {
      const start = gru.startOrchestration({ pipeline: Feed, minion: cls });
      await expect(start).rejects.toThrow(InvalidComponentError);
      await expect(start).rejects.toThrow(/Duplicate @minion id 0d0d0d0d-0000-4000-8000-00000000000a/);
      await expect(start).rejects.toThrow(/test\/unit\/gru\/fixtures\/dup-a\.ts:DupA/);
      await expect(start).rejects.toThrow(/test\/unit\/gru\/fixtures\/dup-b\.ts:DupB/);
    }
    expect(gru.snapshot().orchestrations).toEqual([]);
  });

  it('checks resources the start needs', async () => {
    await expect(gru.startOrchestration({ pipeline: Feed, minion: UsesCacheA }))
      .rejects.toThrow(/Duplicate @resource id 5a5a5a5a-0000-4000-8000-000000000001: claimed by both .*duplicate-ids\.test\.ts:CacheA and .*duplicate-ids\.test\.ts:CacheB/);
    expect(CacheB).toBeDefined();
  });

  it('allows one id on components of different kinds', async () => {
    await expect(gru.startOrchestration({ pipeline: SameIdFeed, minion: SameIdMinion })).resolves.toMatchObject({ alreadyRunning: false });
  });

  it('treats separate loads of one module (same file:Class) as one component, not duplicates', async () => {
    const { Reloaded } = require('./fixtures/reloaded') as { Reloaded: Function };
    let again: Function | undefined;
    // A module reset loads the file again, with its own copy of the package: the registry is
    // process-wide, so the second class claims the id from the same address.
    jest.isolateModules(() => { again = (require('./fixtures/reloaded') as { Reloaded: Function }).Reloaded; });
    expect(again).not.toBe(Reloaded);
    const started = await gru.startOrchestration({ pipeline: Feed, minion: Reloaded as never });
    expect(started.alreadyRunning).toBe(false);
    expect(gru.snapshot().orchestrations[0].minionId).toBe('0e0e0e0e-0000-4000-8000-00000000000b');
  });
});
