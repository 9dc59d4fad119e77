import { Packr } from 'msgpackr';
import { SerializationError } from '../../../src/core/errors';
import { MAX_CHECKPOINT_DEPTH } from '../../../src/core/codec/persistable-value';
import { rebuild } from '../../../src/core/codec/rebuild';
import { encodeEnvelopeFast } from '../../../src/core/codec/fast-envelope';
import {
  CHECKPOINT_SCHEMA_VERSION,
  CheckpointDecodeError,
  CheckpointEnvelope,
  decodeCheckpoint,
  encodeCheckpoint,
  stepsFingerprint,
} from '../../../src/core/codec/checkpoint-codec';

class Tick {
  seq = 1;
  symbol = 'ACME';
  price = 101.5;
}

class Point {
  x = 0;
  y = 0;
}

class Ctx {
  seq = 0;
  total = 0;
  seen = false;
  note: string | null = null;
  items: unknown[] = [];
  nested = { a: { b: [1, 'two', null] } };
  at = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
  origin = new Point();
  step(): number {
    return this.seq + 1; // methods are not data and are fine
  }
}

function envelope(overrides: Partial<CheckpointEnvelope> = {}): CheckpointEnvelope {
  return {
    schemaVersion: 2,
    orchestrationId: '0RrBDZtnoVWyKCTwzdDW7H2WPcmnfnBIDrNODYLItlU8',
    minionId: '11111111-1111-4111-8111-111111111111',
    workflowId: '0190a5f4c3b27c8e9d1f2a3b4c5d6e7f',
    event: new Tick(),
    context: new Ctx(),
    nextStepIndex: 1,
    nextStepName: 'decide',
    stepsFingerprint: stepsFingerprint(['price', 'decide', 'act']),
    startedAt: 1_700_000_000_123,
    ...overrides,
  };
}

/** `links` objects chained by `key` below an innermost `{ end: true }`: `links + 1` levels in all. */
function nest(links: number, key: string): Record<string, unknown> {
  let deep: Record<string, unknown> = { end: true };
  for (let i = 0; i < links; i++) deep = { [key]: deep };
  return deep;
}

/** Levels of objects chained by `key` under `value[first]`. */
function rebuildLevels(value: unknown, first: string, key: string): number {
  let levels = 0;
  for (let v = (value as Record<string, unknown>)[first]; typeof v === 'object' && v !== null; v = (v as Record<string, unknown>)[key]) levels++;
  return levels;
}

function serializationError(fn: () => unknown): SerializationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SerializationError);
    return error as SerializationError;
  }
  throw new Error('expected a SerializationError');
}

function decodeError(blob: Uint8Array): CheckpointDecodeError {
  try {
    decodeCheckpoint(blob);
  } catch (error) {
    expect(error).toBeInstanceOf(CheckpointDecodeError);
    return error as CheckpointDecodeError;
  }
  throw new Error('expected a CheckpointDecodeError');
}

const rawPackr = new Packr({ useRecords: false });

describe('SEMANTICS 5: the checkpoint is a versioned envelope that round-trips event and context', () => {
  it('round-trips nested objects, arrays, Dates, null, undefined and every envelope field', () => {
    const ctx = new Ctx();
    ctx.items = [1, 'x', null, [true, false], { deep: new Date(-86_400_000) }, new Date(Date.UTC(2200, 0, 1))];
    ctx.note = 'é 😀';
    ctx.total = 0.1 + 0.2;
    ctx.origin.x = -3;
    const original = envelope({ context: ctx, startedAt: null });
    const decoded = decodeCheckpoint(encodeCheckpoint(original));
    expect(decoded).toEqual({
      ...original,
      event: { seq: 1, symbol: 'ACME', price: 101.5 },
      context: { ...ctx },
    });
    const items = (decoded.context as Ctx).items;
    expect(items[4]).toEqual({ deep: new Date(-86_400_000) });
    expect((items[4] as { deep: Date }).deep).toBeInstanceOf(Date);
    expect(items[5]).toEqual(new Date(Date.UTC(2200, 0, 1)));
    expect((decoded.context as Ctx).at).toBeInstanceOf(Date);
  });

  it('stores class instances as maps of their fields; rebuild gives the classes back', () => {
    const decoded = decodeCheckpoint(encodeCheckpoint(envelope()));
    expect(Object.getPrototypeOf(decoded.context)).toBe(Object.prototype);
    const ctx = rebuild(Ctx, decoded.context, 'context');
    expect(ctx).toBeInstanceOf(Ctx);
    expect(ctx.origin).toBeInstanceOf(Point);
    expect(ctx.step()).toBe(1);
    expect(rebuild(Tick, decoded.event, 'event')).toEqual(new Tick());
  });

  it('keeps NaN, infinities, large safe integers and undefined fields', () => {
    const context = { n: NaN, inf: Infinity, big: Number.MAX_SAFE_INTEGER, neg: -(2 ** 40), gone: undefined };
    const decoded = decodeCheckpoint(encodeCheckpoint(envelope({ context }))).context as typeof context;
    expect(decoded.n).toBeNaN();
    expect(decoded).toMatchObject({ inf: Infinity, big: Number.MAX_SAFE_INTEGER, neg: -(2 ** 40) });
    expect('gone' in decoded && decoded.gone === undefined).toBe(true);
  });

  it('ignores toJSON: a class instance is stored by its fields', () => {
    class Fancy {
      a = 1;
      toJSON() {
        return 'not me';
      }
    }
    expect(decodeCheckpoint(encodeCheckpoint(envelope({ context: new Fancy() }))).context).toEqual({ a: 1 });
  });

  it('is plain MessagePack: a map with the ten envelope keys, schemaVersion first, no msgpackr records', () => {
    const raw = rawPackr.unpack(encodeCheckpoint(envelope()));
    expect(Object.keys(raw)).toEqual([
      'schemaVersion',
      'orchestrationId',
      'minionId',
      'workflowId',
      'event',
      'context',
      'nextStepIndex',
      'nextStepName',
      'stepsFingerprint',
      'startedAt',
    ]);
    expect(raw.schemaVersion).toBe(CHECKPOINT_SCHEMA_VERSION);
    expect(CHECKPOINT_SCHEMA_VERSION).toBe(2);
  });

  it('names the minion that saved it; null (unknown) is allowed', () => {
    expect(decodeCheckpoint(encodeCheckpoint(envelope())).minionId).toBe('11111111-1111-4111-8111-111111111111');
    expect(decodeCheckpoint(encodeCheckpoint(envelope({ minionId: 'src/jobs/worker.ts:Worker', context: { at: new Date(1) } }))).minionId)
      .toBe('src/jobs/worker.ts:Worker');
    expect(decodeCheckpoint(encodeCheckpoint(envelope({ minionId: null }))).minionId).toBeNull();
  });

  it('still reads schema version 1 (written before the minion id was saved): minionId comes back null', () => {
    const v1: Record<string, unknown> = { ...(rawPackr.unpack(encodeCheckpoint(envelope())) as Record<string, unknown>), schemaVersion: 1 };
    delete v1.minionId;
    const decoded = decodeCheckpoint(rawPackr.pack(v1));
    expect(decoded).toEqual({ ...envelope(), event: { seq: 1, symbol: 'ACME', price: 101.5 }, context: expect.any(Object), minionId: null });
    expect(decodeError(rawPackr.pack({ ...v1, minionId: 'm' })).message).toContain('unknown key(s): minionId');
  });

  it('returns an independent copy: later encodes never change an earlier blob', () => {
    const first = encodeCheckpoint(envelope({ workflowId: 'first' }));
    const snapshot = Buffer.from(first).toString('hex');
    for (let i = 0; i < 1000; i++) encodeCheckpoint(envelope({ workflowId: `w${i}`, context: { pad: 'x'.repeat(i) } }));
    expect(Buffer.from(first).toString('hex')).toBe(snapshot);
  });

  it('decodes from a plain Uint8Array as well as a Buffer (what SQLite returns)', () => {
    const blob = encodeCheckpoint(envelope());
    expect(decodeCheckpoint(new Uint8Array(blob)).workflowId).toBe(envelope().workflowId);
    expect(decodeCheckpoint(Buffer.from(blob)).workflowId).toBe(envelope().workflowId);
  });
});

describe('SEMANTICS 5 / P-04: a value that cannot be encoded is a non-retryable SerializationError naming the field', () => {
  it.each([
    ['a function', { items: [1, { fn: () => 1 }] }, 'context.items[1].fn', 'holds a Function'],
    ['a symbol', { tag: Symbol('t') }, 'context.tag', 'holds a symbol'],
    ['a bigint', { n: 10n }, 'context.n', 'holds a bigint'],
    ['a Map', { byId: new Map([['a', 1]]) }, 'context.byId', 'holds a Map'],
    ['a Set', { ids: new Set([1]) }, 'context.ids', 'holds a Set'],
    ['a Promise', { pending: Promise.resolve() }, 'context.pending', 'holds a Promise'],
    ['bytes', { raw: Buffer.from('x') }, 'context.raw', 'holds a Uint8Array'],
    ['an odd key', { 'a b': [() => 1] }, 'context["a b"][0]', 'holds a Function'],
  ])('refuses %s', (_label, context, path, what) => {
    const error = serializationError(() => encodeCheckpoint(envelope({ context })));
    expect(error.path).toBe(path);
    expect(error.retryable).toBe(false);
    expect(error.code).toBe('MINIONS_SERIALIZATION');
    expect(error.message).toContain(`${path}: ${what}, which a checkpoint cannot store.`);
  });

  it('refuses a class instance holding a function (an arrow-function field)', () => {
    class Handler {
      name = 'h';
      run = () => 1;
    }
    const error = serializationError(() => encodeCheckpoint(envelope({ event: { handler: new Handler() } })));
    expect(error.path).toBe('event.handler.run');
  });

  it('refuses circular references with the path of the loop', () => {
    const context: Record<string, unknown> = { a: { b: {} } };
    ((context.a as Record<string, unknown>).b as Record<string, unknown>).back = context.a;
    const error = serializationError(() => encodeCheckpoint(envelope({ context })));
    expect(error.path).toBe('context.a.b.back');
    expect(error.message).toContain('circular reference');
  });

  it('accepts shared (acyclic) references and data nested right up to the limit, on both encoding paths', () => {
    const shared = { v: 1 };
    // context.deep is level 1; the innermost object is level MAX_CHECKPOINT_DEPTH.
    const deep = nest(MAX_CHECKPOINT_DEPTH - 1, 'next');
    expect(() => encodeCheckpoint(envelope({ context: { a: shared, b: shared, deep } }))).not.toThrow();
    expect(encodeEnvelopeFast(envelope({ context: { deep } }))).toBeInstanceOf(Buffer);
    const general = { deep, at: new Date(0) }; // a Date: the general path (validation, then msgpackr)
    expect(rebuildLevels(decodeCheckpoint(encodeCheckpoint(envelope({ context: general }))).context, 'deep', 'next')).toBe(MAX_CHECKPOINT_DEPTH);
  });

  it('the depth limit is 64 levels below the event or context', () => {
    expect(MAX_CHECKPOINT_DEPTH).toBe(64);
  });

  it.each([
    ['one level past the limit', MAX_CHECKPOINT_DEPTH],
    ['far past the limit (no stack overflow)', 10_000],
  ])('refuses data nested %s, naming the path down to the first level too deep', (_label, links) => {
    for (const extra of [{}, { at: new Date(0) }]) { // both paths
      const error = serializationError(() => encodeCheckpoint(envelope({ context: { deep: nest(links, 'n'), ...extra } })));
      expect(error.message).toContain(`is nested deeper than ${MAX_CHECKPOINT_DEPTH} levels`);
      expect(error.path).toBe(`context.deep${'.n'.repeat(MAX_CHECKPOINT_DEPTH)}`);
    }
  });

  it('counts arrays as levels too', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    const error = serializationError(() => encodeCheckpoint(envelope({ context: { deep } })));
    expect(error.path).toBe(`context.deep${'[0]'.repeat(MAX_CHECKPOINT_DEPTH)}`);
  });

  it('a cycle found below many levels is still named as the cycle', () => {
    const top = nest(20, 'n');
    let bottom = top;
    while (bottom.n) bottom = bottom.n as Record<string, unknown>;
    bottom.up = top;
    const error = serializationError(() => encodeCheckpoint(envelope({ context: { top } })));
    expect(error.message).toContain('circular reference');
    expect(error.path).toBe(`context.top${'.n'.repeat(20)}.up`);
  });

  it('requires event and context to be objects and the envelope fields to have their types', () => {
    expect(serializationError(() => encodeCheckpoint(envelope({ event: 'tick' }))).path).toBe('event');
    expect(serializationError(() => encodeCheckpoint(envelope({ context: [1] }))).path).toBe('context');
    expect(serializationError(() => encodeCheckpoint(envelope({ nextStepIndex: -1 }))).path).toBe('nextStepIndex');
    expect(serializationError(() => encodeCheckpoint(envelope({ nextStepIndex: 1.5 }))).path).toBe('nextStepIndex');
    expect(serializationError(() => encodeCheckpoint(envelope({ startedAt: NaN }))).path).toBe('startedAt');
    expect(serializationError(() => encodeCheckpoint(envelope({ workflowId: 7 as unknown as string }))).path).toBe('workflowId');
    expect(serializationError(() => encodeCheckpoint(envelope({ schemaVersion: 1 as 2 }))).path).toBe('schemaVersion');
    expect(serializationError(() => encodeCheckpoint(envelope({ minionId: 7 as unknown as string }))).path).toBe('minionId');
  });
});

describe('SEMANTICS 10: a class instance with methods is refused where a resume would not rebuild its class', () => {
  class Money {
    constructor(public amount = 0, public currency = 'EUR') {}
    format(): string {
      return `${this.amount} ${this.currency}`;
    }
  }
  class Priced extends Money {
    discounted(): number {
      return this.amount * 0.9;
    }
  }
  class Order {
    price = new Money();
    lines: Money[] = [];
    label(): string {
      return this.price.format();
    }
  }
  class Shop {
    order = new Order();
    total = new Money();
    extra: unknown = null;
    bag: Record<string, unknown> = {};
  }
  class WithGetter {
    n = 1;
    get twice(): number {
      return this.n * 2;
    }
  }
  class PlainPair {
    a = 1;
    b = 2;
  }

  const shop = (change: (s: Shop) => void): Shop => {
    const s = new Shop();
    change(s);
    return s;
  };
  const refused = (context: unknown) => serializationError(() => encodeCheckpoint(envelope({ context })));

  it.each([
    ['a field whose default is null', shop((s) => { s.extra = new Money(5); }), 'context.extra', 'Money', 'format'],
    ['a plain object', shop((s) => { s.bag.m = new Money(5); }), 'context.bag.m', 'Money', 'format'],
    ['an array, even under a declared field', shop((s) => { s.order.lines.push(new Money(5)); }), 'context.order.lines[0]', 'Money', 'format'],
    ['a declared field, as a subclass with more methods', shop((s) => { s.total = new Priced(5); }), 'context.total', 'Priced', 'discounted, format'],
    ['a plain-object context', { m: new Money(5) }, 'context.m', 'Money', 'format'],
    ['a class whose prototype has a getter', shop((s) => { s.extra = new WithGetter(); }), 'context.extra', 'WithGetter', 'twice'],
    ['a method-less instance that holds one', shop((s) => { s.extra = { inner: Object.assign(new PlainPair(), { m: new Money() }) }; }), 'context.extra.inner.m', 'Money', 'format'],
  ])('in %s, naming the path, the class and its methods', (_where, context, path, className, methods) => {
    for (const extra of [{}, { when: new Date(0) }]) { // both encoding paths
      const error = refused(Object.assign(context as object, extra));
      expect(error.path).toBe(path);
      expect(error.retryable).toBe(false);
      expect(error.message).toContain(`${path}: holds a ${className} instance with methods (${methods})`);
      expect(error.message).toMatch(/resume/);
    }
  });

  it('accepts an instance of the class a field declares as its default, at any depth of declared fields, and its methods survive the round trip', () => {
    const context = shop((s) => {
      s.total = new Money(7, 'USD');
      s.order = new Order();
      s.order.price = new Money(3);
    });
    const back = rebuild(Shop, decodeCheckpoint(encodeCheckpoint(envelope({ context }))).context, 'context');
    expect(back.total.format()).toBe('7 USD');
    expect(back.order.label()).toBe('3 EUR');
    expect(back.order).toBeInstanceOf(Order);
    expect(() => encodeCheckpoint(envelope({ context: Object.assign(context, { at: new Date(0) }) }))).not.toThrow();
  });

  it('accepts class instances without methods anywhere (they come back as plain data, which is all they are)', () => {
    expect(encodeEnvelopeFast(envelope({ context: { list: [new PlainPair()], bag: { p: new PlainPair() } } }))).toBeInstanceOf(Buffer);
    const context = shop((s) => { s.extra = [new PlainPair()]; s.bag.p = new PlainPair(); });
    expect(() => encodeCheckpoint(envelope({ context }))).not.toThrow();
    expect(() => encodeCheckpoint(envelope({ context: Object.assign(context, { at: new Date(0) }) }))).not.toThrow();
  });

  it('does not check the event: it is produced by the pipeline, not placed by a step', () => {
    expect(() => encodeCheckpoint(envelope({ event: { price: new Money(1) } }))).not.toThrow();
  });
});

describe('SEMANTICS 5 / T-07: a blob that is not a readable checkpoint gives CheckpointDecodeError', () => {
  const validRaw = () => rawPackr.unpack(encodeCheckpoint(envelope())) as Record<string, unknown>;

  it('refuses bytes that are not MessagePack, truncated or with trailing bytes', () => {
    const blob = encodeCheckpoint(envelope());
    expect(decodeError(new Uint8Array(0)).message).toContain('not valid MessagePack');
    expect(decodeError(blob.subarray(0, blob.length - 5)).message).toContain('not valid MessagePack');
    expect(decodeError(Buffer.concat([blob, Buffer.from([1])])).message).toContain('not valid MessagePack');
    expect(decodeError(Buffer.from('hello world')).message).toContain('not valid MessagePack');
  });

  it('refuses a blob that is not a map', () => {
    expect(decodeError(rawPackr.pack([1, 2])).message).toContain('holds an array, not an envelope map');
    expect(decodeError(rawPackr.pack(42)).message).toContain('holds a number, not an envelope map');
  });

  it('refuses a missing key and an unknown key', () => {
    const missing = validRaw();
    delete missing.stepsFingerprint;
    expect(decodeError(rawPackr.pack(missing)).message).toContain('misses key(s): stepsFingerprint');
    const extra = { ...validRaw(), step_index: 2 };
    expect(decodeError(rawPackr.pack(extra)).message).toContain('unknown key(s): step_index');
  });

  it('refuses a schema version other than 1 and 2, before looking at the keys', () => {
    expect(decodeError(rawPackr.pack({ ...validRaw(), schemaVersion: 3 })).message).toContain(
      'schema version 3 is not supported (this version of Minions reads 1 and 2)',
    );
    expect(decodeError(rawPackr.pack({ ...validRaw(), schemaVersion: 3, later: true })).message).toContain('schema version 3 is not supported');
  });

  it('refuses envelope fields of the wrong type', () => {
    expect(decodeError(rawPackr.pack({ ...validRaw(), nextStepIndex: '1' })).message).toContain('nextStepIndex must be a non-negative integer');
    expect(decodeError(rawPackr.pack({ ...validRaw(), startedAt: 'now' })).message).toContain('startedAt must be epoch milliseconds or null');
    expect(decodeError(rawPackr.pack({ ...validRaw(), workflowId: null })).message).toContain('workflowId must be a string');
    expect(decodeError(rawPackr.pack({ ...validRaw(), minionId: 7 })).message).toContain('minionId must be a string or null');
    expect(decodeError(rawPackr.pack({ ...validRaw(), context: [1] })).message).toContain('context must be a map');
  });

  it('refuses a value that is not bytes', () => {
    expect(decodeError('blob' as unknown as Uint8Array).message).toContain('must be bytes');
  });
});

describe('SEMANTICS 5 (fixes Q-17): the steps fingerprint changes when the step list changes', () => {
  it('is 16 hex digits of SHA-256 over the names joined by newlines', () => {
    expect(stepsFingerprint(['price', 'decide', 'act'])).toMatch(/^[0-9a-f]{16}$/);
    expect(stepsFingerprint(['a', 'b'])).toBe('7e18f737311b2dc3');
  });

  it('is stable for the same list and differs when steps are reordered, renamed, added or removed', () => {
    const base = stepsFingerprint(['price', 'decide', 'act']);
    expect(stepsFingerprint(['price', 'decide', 'act'])).toBe(base);
    expect(stepsFingerprint(['decide', 'price', 'act'])).not.toBe(base);
    expect(stepsFingerprint(['price', 'choose', 'act'])).not.toBe(base);
    expect(stepsFingerprint(['price', 'decide', 'act', 'notify'])).not.toBe(base);
    expect(stepsFingerprint(['price', 'decide'])).not.toBe(base);
  });
});

