import { Packr } from 'msgpackr';
import { SerializationError } from '../../../src/core/errors';
import { rebuild } from '../../../src/core/codec/data-class';
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

  it('accepts shared (acyclic) references and deep-but-finite data', () => {
    const shared = { v: 1 };
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 150; i++) deep = { next: deep };
    expect(() => encodeCheckpoint(envelope({ context: { a: shared, b: shared, deep } }))).not.toThrow();
  });

  it('refuses data nested deeper than the limit, naming where', () => {
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 300; i++) deep = { n: deep };
    const error = serializationError(() => encodeCheckpoint(envelope({ context: deep })));
    expect(error.message).toContain('nested deeper than 200 levels');
    expect(error.path.startsWith('context.n.n.n')).toBe(true);
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

