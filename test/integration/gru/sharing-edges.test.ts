import 'reflect-metadata';
import { Subject } from 'rxjs';
import { Gru, InMemoryLogger, Logger, Minion, Pipeline, Resource, minion, pipeline, resource, step } from 'minions';

class Ev { n = 0; }
class Ctx { n = 0; }
const ev = (n: number) => Object.assign(new Ev(), { n });
const turns = async (k = 20) => { for (let i = 0; i < k; i++) await new Promise((r) => setImmediate(r)); };
const quiet = { stateStore: null, logger: new InMemoryLogger(), metrics: null } as const;

describe('SEMANTICS 6: shared pipelines', () => {
  let gru: Gru | undefined;
  afterEach(async () => { await gru?.shutdown(); gru = undefined; });

  it('events produced while an orchestration is stopped never reach it; the shared source goes on for the others', async () => {
    const subject = new Subject<Ev>();
    const seen: Record<string, number[]> = { A: [], B: [] };
    @pipeline({ event: Ev })
    class Pushed extends Pipeline<Ev> { events() { return subject.asObservable(); } }
    @minion({ event: Ev, context: Ctx })
    class A extends Minion<Ev, Ctx> { @step async s() { seen.A.push(this.event.n); } }
    @minion({ event: Ev, context: Ctx })
    class B extends Minion<Ev, Ctx> { @step async s() { seen.B.push(this.event.n); } }
    gru = await Gru.create(quiet);
    await gru.startOrchestration({ pipeline: Pushed, minion: A });
    const b = await gru.startOrchestration({ pipeline: Pushed, minion: B });
    subject.next(ev(1));
    await turns();
    await gru.stopOrchestration(b.orchestrationId);
    subject.next(ev(2));
    await turns();
    await gru.startOrchestration({ pipeline: Pushed, minion: B });
    subject.next(ev(3));
    await turns();
    expect(seen.A).toEqual([1, 2, 3]);
    expect(seen.B).toEqual([1, 3]);
  });

  it('an orchestration attaching to a shared pipeline whose finite source ended gets no events and is idle at once', async () => {
    let runs = 0;
    @pipeline({ event: Ev })
    class Finite extends Pipeline<Ev> { async *events() { runs++; yield ev(1); yield ev(2); } }
    const seen: number[] = [];
    @minion({ event: Ev, context: Ctx })
    class First extends Minion<Ev, Ctx> { @step async s() {} }
    @minion({ event: Ev, context: Ctx })
    class Late extends Minion<Ev, Ctx> { @step async s() { seen.push(this.event.n); } }
    gru = await Gru.create(quiet);
    const first = await gru.startOrchestration({ pipeline: Finite, minion: First });
    await gru.whenIdle(first.orchestrationId);
    const late = await gru.startOrchestration({ pipeline: Finite, minion: Late });
    await gru.whenIdle(late.orchestrationId);
    expect(seen).toEqual([]);
    expect(runs).toBe(1); // not restarted while First holds it
  });

  it("overflowPolicy 'error': the overflowing orchestration stops; the shared source and the other subscriber go on", async () => {
    const subject = new Subject<Ev>();
    let gate!: () => void;
    const blocked = new Promise<void>((r) => { gate = r; });
    const fast: number[] = [];
    @pipeline({ event: Ev })
    class Pushed extends Pipeline<Ev> { events() { return subject.asObservable(); } }
    @minion({ event: Ev, context: Ctx })
    class Slow extends Minion<Ev, Ctx> { @step async s() { await blocked; } }
    @minion({ event: Ev, context: Ctx })
    class Fast extends Minion<Ev, Ctx> { @step async s() { fast.push(this.event.n); } }
    gru = await Gru.create({ ...quiet, maxInFlight: 1, bufferSize: 2, stopGraceMs: 5, cancelTimeoutMs: 5 });
    const slow = await gru.startOrchestration({ pipeline: Pushed, minion: Slow, overflowPolicy: 'error' });
    const quick = await gru.startOrchestration({ pipeline: Pushed, minion: Fast });
    for (let n = 1; n <= 6; n++) { subject.next(ev(n)); await turns(2); }
    while (gru.snapshot().orchestrations.some((o) => o.orchestrationId === slow.orchestrationId)) await turns();
    subject.next(ev(7));
    await turns();
    gate();
    expect(fast).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(gru.snapshot().orchestrations.map((o) => o.orchestrationId)).toEqual([quick.orchestrationId]);
  });
});

describe('SEMANTICS 7: stops and shutdown', () => {
  let gru: Gru | undefined;
  afterEach(async () => { await gru?.shutdown(); gru = undefined; });

  @pipeline({ event: Ev })
  class Idle extends Pipeline<Ev> { async produceEvent(): Promise<Ev> { return new Promise<Ev>(() => undefined); } }

  it('a stop is fail-closed: a throwing shutdown() is reported, the orchestration is removed, Gru stays healthy', async () => {
    @minion({ event: Ev, context: Ctx })
    class Grumpy extends Minion<Ev, Ctx> {
      async shutdown() { throw new Error('cannot close'); }
      @step async s() {}
    }
    gru = await Gru.create(quiet);
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Idle, minion: Grumpy });
    const result = await gru.stopOrchestration(orchestrationId);
    expect(result.stopped).toBe(true);
    expect(result.errors.map((e) => e.message)).toEqual(['cannot close']);
    expect(gru.snapshot()).toEqual({ orchestrations: [], pipelines: [], resources: [] });
    const again = await gru.startOrchestration({ pipeline: Idle, minion: Grumpy });
    expect(again.alreadyRunning).toBe(false);
  });

  it('whenIdle resolves when the orchestration stops while it waits', async () => {
    @minion({ event: Ev, context: Ctx })
    class Waits extends Minion<Ev, Ctx> { @step async s() {} }
    gru = await Gru.create(quiet);
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Idle, minion: Waits });
    const idle = gru.whenIdle(orchestrationId);
    await gru.stopOrchestration(orchestrationId);
    await expect(idle).resolves.toBeUndefined();
  });

  it('concurrent starts of one orchestration share one start', async () => {
    let startups = 0;
    @minion({ event: Ev, context: Ctx })
    class Once extends Minion<Ev, Ctx> {
      async startup() { startups++; for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r)); } // a startup spanning event-loop turns
      @step async s() {}
    }
    gru = await Gru.create(quiet);
    const [a, b] = await Promise.all([
      gru.startOrchestration({ pipeline: Idle, minion: Once }), gru.startOrchestration({ pipeline: Idle, minion: Once }),
    ]);
    expect(a.orchestrationId).toBe(b.orchestrationId);
    expect([a.alreadyRunning, b.alreadyRunning].sort()).toEqual([false, true]);
    expect(startups).toBe(1);
  });
});

describe('SEMANTICS 9: a logger that throws never breaks the runtime', () => {
  it('workflows still succeed and the lines fall back to stderr', async () => {
    class Broken extends Logger { log(): void { throw new Error('disk full'); } }
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => { written.push(String(chunk)); return true; }) as typeof process.stderr.write;
    let done = 0;
    @pipeline({ event: Ev })
    class Two extends Pipeline<Ev> { async *events() { yield ev(1); yield ev(2); } }
    @minion({ event: Ev, context: Ctx })
    class Counts extends Minion<Ev, Ctx> { @step async s() { done++; } }
    const gru = await Gru.create({ stateStore: null, logger: new Broken(), metrics: null });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Two, minion: Counts });
      await gru.whenIdle(orchestrationId);
    } finally {
      await gru.shutdown();
      process.stderr.write = original;
    }
    expect(done).toBe(2);
    expect(written.some((l) => l.includes('[Logger Fallback]') && l.includes('Workflow succeeded'))).toBe(true);
  });
});

describe('SEMANTICS 4 and 3: one event object, unchanged errors', () => {
  it('events reach every subscriber as the same frozen object', async () => {
    const subject = new Subject<Ev>();
    const got: Ev[] = [];
    @pipeline({ event: Ev })
    class Pushed extends Pipeline<Ev> { events() { return subject.asObservable(); } }
    @minion({ event: Ev, context: Ctx })
    class One extends Minion<Ev, Ctx> { @step async s() { got.push(this.event); } }
    @minion({ event: Ev, context: Ctx })
    class Other extends Minion<Ev, Ctx> { @step async s() { got.push(this.event); } }
    const gru = await Gru.create(quiet);
    try {
      await gru.startOrchestration({ pipeline: Pushed, minion: One });
      await gru.startOrchestration({ pipeline: Pushed, minion: Other });
      const sent = ev(1);
      subject.next(sent);
      await turns();
      expect(got).toHaveLength(2);
      expect(got[0]).toBe(sent);
      expect(got[1]).toBe(sent);
      expect(Object.isFrozen(sent)).toBe(true);
    } finally {
      await gru.shutdown();
    }
  });

  it("a resource method's error reaches its caller unchanged and the resource stays up", async () => {
    const boom = new RangeError('out of range');
    let caught: unknown;
    let later: string | undefined;
    @resource()
    class Api extends Resource {
      async fail(): Promise<never> { throw boom; }
      async ok() { return 'fine'; }
    }
    @pipeline({ event: Ev })
    class One extends Pipeline<Ev> { async *events() { yield ev(1); } }
    @minion({ event: Ev, context: Ctx })
    class Caller extends Minion<Ev, Ctx> {
      constructor(readonly api: Api) { super(); }
      @step async s() {
        try { await this.api.fail(); } catch (e) { caught = e; }
        later = await this.api.ok();
      }
    }
    const gru = await Gru.create(quiet);
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: One, minion: Caller });
      await gru.whenIdle(orchestrationId);
      expect(caught).toBe(boom);
      expect(later).toBe('fine');
      expect(gru.snapshot().resources.map((r) => r.className)).toEqual(['Api']);
    } finally {
      await gru.shutdown();
    }
  });
});

describe('SEMANTICS 7: one deadline for the whole shutdown', () => {
  it('shutdownTimeoutMs cuts a slow stop, reports what was cut, and a new Gru may be created', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let started = false;
    @pipeline({ event: Ev })
    class One extends Pipeline<Ev> { async *events() { yield ev(1); } }
    @minion({ event: Ev, context: Ctx })
    class Slow extends Minion<Ev, Ctx> { @step async s() { started = true; await gate; } }
    const logger = new InMemoryLogger();
    const gru = await Gru.create({ stateStore: null, logger, metrics: null, stopGraceMs: 60_000, shutdownTimeoutMs: 30 });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: One, minion: Slow });
    while (!started) await turns();
    await gru.shutdown();
    expect(logger.findAll('Gru shutdown deadline passed; orchestrations still stopping were cut')[0]?.fields).toMatchObject({ cut: [orchestrationId] });
    const next = await Gru.create(quiet);
    await next.shutdown();
    release();
  });
});
