import 'reflect-metadata';
import { Minion, Pipeline, Resource, minion, pipeline, resource, step } from '../src/index';

/**
 * The components of the benchmark scenarios (docs/performance.md). Every class has an explicit id,
 * so orchestration ids do not depend on where the bench runs from (S4 computes one).
 */

/** Event: a small record. */
export class BenchEvent {
  seq = 0;
  symbol = '';
  price = 0;
}

/** Context: defaults for every field. */
export class BenchContext {
  seq = 0;
  seen = false;
  total = 0;
}

/** Config of the S3 minion: one inline config per orchestration (ten distinct config ids). */
export class ShardConfig {
  shard = 0;
}

export const IDS = {
  tally: 'b0000000-0000-4000-8000-000000000001',
  feed: 'b0000000-0000-4000-8000-000000000002',
  silentFeed: 'b0000000-0000-4000-8000-000000000003',
  s1: 'b0000000-0000-4000-8000-000000000011',
  s3: 'b0000000-0000-4000-8000-000000000013',
  s4: 'b0000000-0000-4000-8000-000000000014',
  inner: 'b0000000-0000-4000-8000-000000000021',
  outer: 'b0000000-0000-4000-8000-000000000022',
  s5: 'b0000000-0000-4000-8000-000000000015',
  lifecycleFeed: 'b0000000-0000-4000-8000-000000000016',
} as const;

/**
 * A promise that never settles: what an exhausted pipeline awaits (no timer, no busy loop).
 * One per pipeline instance, never a shared one: the runtime abandons a pending `produceEvent()`
 * at stop, and a promise that outlives the instance would keep the abandoned call (and with it
 * the pipeline's runner) reachable: S5 would measure that leak instead of the runtime's.
 */
function forever(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/**
 * How many events {@link BenchFeed} emits, set by the scenario before the start; and an optional
 * gate the feed awaits before its first event (S3 opens it once all ten orchestrations are
 * attached, so that none misses the first events).
 */
export const feedPlan: { events: number; gate: Promise<void> | null } = { events: 0, gate: null };

const SYMBOLS = ['ACMECORP', 'GLOBEX01', 'INITECH2', 'UMBRELLA', 'HOOLIINC', 'STARKIND', 'WAYNEENT', 'CYBERDYN'];

/** Builds event number `seq` (1-based), as the pipeline emits it. */
export function makeEvent(seq: number): BenchEvent {
  const e = new BenchEvent();
  e.seq = seq;
  e.symbol = SYMBOLS[seq & 7];
  e.price = 100 + (seq % 100) / 8;
  return e;
}

/**
 * The completion signal: a counter in a shared Resource. `mark()` is a tracked resource method
 * (it runs through the runtime's resource instrumentation like any user resource call).
 */
@resource({ id: IDS.tally })
export class Tally extends Resource {
  private static waiters: Array<{ target: number; resolve: () => void }> = [];
  private static total = 0;

  /** Resolves once `mark()` has been called `target` times in this process. */
  static reach(target: number): Promise<void> {
    if (Tally.total >= target) return Promise.resolve();
    return new Promise((resolve) => Tally.waiters.push({ target, resolve }));
  }

  static get count(): number {
    return Tally.total;
  }

  async mark(): Promise<void> {
    const n = ++Tally.total;
    if (Tally.waiters.length > 0 && n >= Tally.waiters[0].target) {
      const ready = Tally.waiters.filter((w) => n >= w.target);
      Tally.waiters = Tally.waiters.filter((w) => n < w.target);
      for (const w of ready) w.resolve();
    }
  }
}

/** Pull pipeline: emits `feedPlan.events` events as fast as it is asked, then idles forever. */
@pipeline({ event: BenchEvent, id: IDS.feed })
export class BenchFeed extends Pipeline<BenchEvent> {
  private seq = 0;
  private opened = false;
  private readonly idle = forever();

  async produceEvent(): Promise<BenchEvent> {
    if (!this.opened) {
      if (feedPlan.gate !== null) await feedPlan.gate;
      this.opened = true;
    }
    if (this.seq >= feedPlan.events) return this.idle;
    return makeEvent(++this.seq);
  }
}

/** A pipeline that emits nothing (S4: only resumed workflows run). */
@pipeline({ event: BenchEvent, id: IDS.silentFeed })
export class SilentFeed extends Pipeline<BenchEvent> {
  private readonly idle = forever();

  async produceEvent(): Promise<BenchEvent> {
    return this.idle;
  }
}

/**
 * The two steps every workflow scenario runs: step 1 copies event fields into the context,
 * step 2 adds the price and marks the shared tally. Subclasses give identity and injection.
 */
abstract class TwoSteps<Cfg = never> extends Minion<BenchEvent, BenchContext, Cfg> {
  protected abstract readonly tally: Tally;

  @step async copyFields(): Promise<void> {
    const e = this.event;
    const c = this.context;
    c.seq = e.seq;
    c.seen = true;
  }

  @step async addPrice(): Promise<void> {
    this.context.total += this.event.price;
    await this.tally.mark();
  }
}

/** S1, S2: two steps; the second marks the tally. */
@minion({ event: BenchEvent, context: BenchContext, id: IDS.s1 })
export class TwoStepMinion extends TwoSteps {
  constructor(protected readonly tally: Tally) {
    super();
  }
}

/** S3: the same two steps, one orchestration per config (ten configs share one pipeline). */
@minion({ event: BenchEvent, context: BenchContext, config: ShardConfig, id: IDS.s3 })
export class ShardMinion extends TwoSteps<ShardConfig> {
  constructor(protected readonly tally: Tally) {
    super();
  }
}

/** S4: the same two steps under its own identity, resumed from checkpoints at step index 1. */
@minion({ event: BenchEvent, context: BenchContext, id: IDS.s4 })
export class ResumeMinion extends TwoSteps {
  constructor(protected readonly tally: Tally) {
    super();
  }
}

/** S5: a resource that depends on nothing. */
@resource({ id: IDS.inner })
export class InnerResource extends Resource {
  async startup(): Promise<void> {}
  async shutdown(): Promise<void> {}
  async value(): Promise<number> {
    return 1;
  }
}

/** S5: a resource that depends on another resource. */
@resource({ id: IDS.outer })
export class OuterResource extends Resource {
  constructor(private readonly inner: InnerResource) {
    super();
  }
  async startup(): Promise<void> {}
  async shutdown(): Promise<void> {}
  async value(): Promise<number> {
    return this.inner.value();
  }
}

/** S5: a pipeline that emits nothing. */
@pipeline({ event: BenchEvent, id: IDS.lifecycleFeed })
export class LifecycleFeed extends Pipeline<BenchEvent> {
  private readonly idle = forever();

  async produceEvent(): Promise<BenchEvent> {
    return this.idle;
  }
}

/** S5: a minion whose only dependency is {@link OuterResource} (which depends on {@link InnerResource}). */
@minion({ event: BenchEvent, context: BenchContext, id: IDS.s5 })
export class LifecycleMinion extends Minion<BenchEvent, BenchContext> {
  constructor(private readonly outer: OuterResource) {
    super();
  }
  async startup(): Promise<void> {}
  async shutdown(): Promise<void> {}

  @step async only(): Promise<void> {
    this.context.total = await this.outer.value();
  }
}
