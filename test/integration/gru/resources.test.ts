import 'reflect-metadata';
import {
  Gru, InMemoryLogger, InMemoryMetrics, InvalidComponentError, Minion, Pipeline, Resource, ResourceCycleError,
  inject, minion, pipeline, resource, step, untracked,
} from 'minions';

class Ev { n = 0; }
class Ctx { n = 0; }
const log: string[] = [];

@pipeline({ event: Ev })
class Two extends Pipeline<Ev> {
  async *events() { yield Object.assign(new Ev(), { n: 1 }); yield Object.assign(new Ev(), { n: 2 }); }
}

@resource()
class Db extends Resource {
  static instances = 0;
  constructor() { super(); Db.instances++; }
  async startup() { log.push('Db.startup'); }
  async shutdown() { log.push('Db.shutdown'); }
  async query(n: number) { return n * 10; }
  @untracked async ping() { return true; }
}

@resource()
class Cache extends Resource {
  constructor(readonly db: Db) { super(); }
  async startup() { log.push(`Cache.startup db=${this.db instanceof Db}`); }
  async shutdown() { log.push('Cache.shutdown'); }
  async get(n: number) { return this.db.query(n); }
}

@resource()
class Clock extends Resource {
  async startup() { log.push('Clock.startup'); }
  async shutdown() { log.push('Clock.shutdown'); }
}

@minion({ event: Ev, context: Ctx })
class UsesBoth extends Minion<Ev, Ctx> {
  constructor(readonly cache: Cache, readonly clock: Clock) { super(); }
  @step async fetch() { this.context.n = await this.cache.get(this.event.n); await this.cache.db.ping(); }
}

@minion({ event: Ev, context: Ctx })
class UsesDb extends Minion<Ev, Ctx> {
  constructor(readonly db: Db) { super(); }
  @step async fetch() { await this.db.query(1); }
}

describe('SEMANTICS 3: sharing and lifetimes', () => {
  let gru: Gru | undefined;
  beforeEach(() => { log.length = 0; Db.instances = 0; });
  afterEach(async () => { await gru?.shutdown(); gru = undefined; });

  it('dependencies start first and are injected before startup; stop runs in reverse', async () => {
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Two, minion: UsesBoth });
    expect(log.indexOf('Db.startup')).toBeLessThan(log.indexOf('Cache.startup db=true'));
    expect(log).toContain('Clock.startup');
    await gru.stopOrchestration(orchestrationId);
    expect(log.indexOf('Cache.shutdown')).toBeLessThan(log.indexOf('Db.shutdown'));
  });

  it('a resource is shared by identity: startup once, counted per owner, fresh instance after a full stop', async () => {
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    const a = await gru.startOrchestration({ pipeline: Two, minion: UsesBoth });
    const b = await gru.startOrchestration({ pipeline: Two, minion: UsesDb });
    expect(log.filter((l) => l === 'Db.startup')).toHaveLength(1);
    const db = gru.snapshot().resources.find((r) => r.className === 'Db');
    expect(db?.refs).toBe(2); // Cache's edge and UsesDb's minion
    await gru.stopOrchestration(a.orchestrationId);
    expect(log).not.toContain('Db.shutdown');
    expect(log).toContain('Cache.shutdown');
    await gru.stopOrchestration(b.orchestrationId);
    expect(log).toContain('Db.shutdown');
    expect(gru.snapshot().resources).toEqual([]);
    await gru.startOrchestration({ pipeline: Two, minion: UsesDb });
    expect(Db.instances).toBe(2);
  });

  it('public async methods are tracked with the immediate caller; @untracked ones are not', async () => {
    const metrics = new InMemoryMetrics();
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Two, minion: UsesBoth });
    await gru.whenIdle(orchestrationId);
    expect(metrics.get('resource_serves_total', { resource_method: 'get', resource_caller_kind: 'minion', orchestration_id: orchestrationId })).toBe(2);
    expect(metrics.get('resource_serves_total', { resource_method: 'query', resource_caller_kind: 'resource', orchestration_id: orchestrationId })).toBe(2);
    expect(metrics.get('resource_serves_total', { resource_method: 'ping' })).toBe(0);
    expect(metrics.violations).toEqual([]);
  });

  it('a resource cycle fails the start with ResourceCycleError naming the whole path', async () => {
    @resource()
    class A extends Resource { constructor(@inject(() => B) readonly b: unknown) { super(); } }
    @resource()
    class B extends Resource { constructor(readonly a: A) { super(); } }
    @minion({ event: Ev, context: Ctx })
    class Cyclic extends Minion<Ev, Ctx> {
      constructor(readonly a: A) { super(); }
      @step async s() {}
    }
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    const err = await gru.startOrchestration({ pipeline: Two, minion: Cyclic }).catch((e) => e);
    expect(err).toBeInstanceOf(ResourceCycleError);
    expect(err.message).toContain('A -> B -> A');
    expect(gru.snapshot()).toEqual({ orchestrations: [], pipelines: [], resources: [] });
  });

  it('a constructor parameter without type metadata is refused, naming class, index and fix', async () => {
    interface Api { call(): void }
    @minion({ event: Ev, context: Ctx })
    class NoMeta extends Minion<Ev, Ctx> {
      constructor(readonly api: Api) { super(); }
      @step async s() {}
    }
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    const err = await gru.startOrchestration({ pipeline: Two, minion: NoMeta }).catch((e) => e);
    expect(err).toBeInstanceOf(InvalidComponentError);
    expect(err.message).toMatch(/NoMeta constructor parameter #0/);
    expect(err.message).toMatch(/@inject/);
  });
});
