import { Packr } from 'msgpackr';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointEnvelope } from '../../../src/core/codec/checkpoint-codec';
import { MAX_CHECKPOINT_DEPTH } from '../../../src/core/codec/persistable-value';
import { encodeEnvelopeFast } from '../../../src/core/codec/fast-envelope';

/** msgpackr as the general path configures it: what the fast path must agree with. */
const packr = new Packr({ useRecords: false, mapsAsObjects: true, useToJSON: false, int64AsType: 'number' });

class Tick {
  seq = 0;
  symbol = '';
  price = 0;
}

class Money {
  amount = 0;
  format(): string {
    return String(this.amount);
  }
}

/** `links` objects chained under `n` above an innermost `{}`. */
function nest(links: number): Record<string, unknown> {
  let deep: Record<string, unknown> = {};
  for (let i = 0; i < links; i++) deep = { n: deep };
  return deep;
}

function envelope(context: unknown, event: unknown = Object.freeze(Object.assign(new Tick(), { seq: 7, symbol: 'ACMECORP', price: 101.25 }))): CheckpointEnvelope {
  return {
    schemaVersion: 2, orchestrationId: '0dDZ4USMME5e0HnBzIYdCEE9Mhf51WGTvyiv4K3pe0PT', minionId: '11111111-1111-4111-8111-111111111111', workflowId: 'a'.repeat(32),
    event, context, nextStepIndex: 1, nextStepName: 'addPrice', stepsFingerprint: '0123456789abcdef', startedAt: 1_763_000_000_123,
  };
}

/** What msgpackr itself writes for the envelope (keys in envelope order). */
function general(e: CheckpointEnvelope): Buffer {
  const { schemaVersion, orchestrationId, minionId, workflowId, event, context, nextStepIndex, nextStepName, stepsFingerprint, startedAt } = e;
  return Buffer.from(packr.pack({ schemaVersion, orchestrationId, minionId, workflowId, event, context, nextStepIndex, nextStepName, stepsFingerprint, startedAt }));
}

const INTS = [0, 1, 31, 32, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, -1, -32, -33, -128, -129, -32_768, -32_769, -(2 ** 31), -(2 ** 31) - 1,
  Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER];
const FLOATS = [0.5, -0.5, 101.25, 1e300, -1e-300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0];

describe('encodeEnvelopeFast (the common-case writer behind encodeCheckpoint)', () => {
  const cases: Array<[string, unknown]> = [
    ['a data-class context', Object.assign(new Tick(), { seq: 3, symbol: 'X', price: 2.5 })],
    ['integers at every format boundary', Object.fromEntries(INTS.map((n, i) => [`i${i}`, n]))],
    ['floats, NaN, infinities and -0', Object.fromEntries(FLOATS.map((n, i) => [`f${i}`, n]))],
    ['strings at every header boundary', Object.fromEntries([0, 1, 31, 32, 63, 64, 65, 255, 256, 65_535, 65_536, 70_000].map((n) => [`s${n}`, 'x'.repeat(n)]))],
    ['booleans and null', { yes: true, no: false, none: null }],
    ['nested arrays and objects', { list: [1, 'two', [3, [4]], { five: 5 }, null, true], deep: { a: { b: { c: { d: [] } } } }, empty: {} }],
    ['16+ keys and 16+ elements (map16, array16)', { ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i])), arr: Array.from({ length: 40 }, (_, i) => i * 1.5) }],
    ['65,536 elements (array32)', { big: new Array(65_536).fill(1) }],
    ['an object without prototype', Object.assign(Object.create(null), { a: 1 })],
    ['nested data-class instances', { tick: Object.assign(new Tick(), { seq: 9 }), ticks: [new Tick(), new Tick()] }],
    ['objects nested right up to the depth limit', { deep: nest(MAX_CHECKPOINT_DEPTH - 1) }],
  ];

  it.each(cases)('writes %s as MessagePack that decodes exactly as msgpackr\'s own encoding', (_name, context) => {
    const e = envelope(context);
    const fast = encodeEnvelopeFast(e);
    expect(fast).toBeInstanceOf(Buffer);
    expect(packr.unpack(fast!)).toEqual(packr.unpack(general(e)));
    expect(decodeCheckpoint(fast!)).toEqual(decodeCheckpoint(general(e)));
  });

  it('writes the minion id, or nil when it is unknown, as msgpackr does', () => {
    for (const minionId of ['11111111-1111-4111-8111-111111111111', 'src/jobs/worker.ts:Worker', null]) {
      const e = { ...envelope({ a: 1 }), minionId };
      const fast = encodeEnvelopeFast(e)!;
      expect(packr.unpack(fast)).toEqual(packr.unpack(general(e)));
      expect(decodeCheckpoint(fast).minionId).toBe(minionId);
    }
  });

  it('gives the same bytes as msgpackr for every number (scalars only differ by map header form)', () => {
    for (const n of [...INTS, ...FLOATS]) {
      const fast = encodeEnvelopeFast(envelope({ n }))!;
      const ref = general(envelope({ n }));
      // both end with: "n" key, the number, then the four envelope fields after context
      const tail = (b: Buffer): string => b.subarray(b.indexOf(Buffer.from('\xa1n', 'latin1')) + 2).toString('hex');
      expect(tail(fast)).toBe(tail(ref));
    }
  });

  const fallbacks: Array<[string, unknown]> = [
    ['a non-ASCII string', { name: 'café' }],
    ['a non-ASCII key', { 'clé': 1 }],
    ['a Date', { at: new Date(0) }],
    ['an undefined field', { gone: undefined }],
    ['a hole in an array', { list: [1, , 3] }],
    ['a Map', { m: new Map() }],
    ['a function field', { fn: () => 1 }],
    ['a bigint', { b: BigInt(1) }],
    ['a cycle', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })()],
    ['an array as the context itself', [1, 2]],
    ['a class instance with methods where a resume gives plain data', { money: new Money() }],
    ['objects nested one level past the depth limit', { deep: nest(MAX_CHECKPOINT_DEPTH) }],
  ];

  it.each(fallbacks)('leaves %s to the general path (returns undefined)', (_name, context) => {
    expect(encodeEnvelopeFast(envelope(context))).toBeUndefined();
  });

  it('writes an event or context whose own class has methods (a resume rebuilds them on it)', () => {
    class Ctx { n = 1; twice(): number { return this.n * 2; } }
    expect(encodeEnvelopeFast(envelope(new Ctx(), new Ctx()))).toBeInstanceOf(Buffer);
  });

  it('leaves an instance with methods below the root to the general path, which decides (the event is not checked, the context is)', () => {
    expect(encodeEnvelopeFast(envelope({ a: 1 }, { money: new Money() }))).toBeUndefined();
    expect(() => encodeCheckpoint(envelope({ a: 1 }, { money: new Money() }))).not.toThrow();
    expect(() => encodeCheckpoint(envelope({ money: new Money() }))).toThrow(/context\.money: holds a Money instance with methods \(format\)/);
  });

  it('and encodeCheckpoint still decides those cases as before: encoded by msgpackr, or refused', () => {
    expect(decodeCheckpoint(encodeCheckpoint(envelope({ name: 'café', at: new Date(5) }))).context).toEqual({ name: 'café', at: new Date(5) });
    expect(() => encodeCheckpoint(envelope({ m: new Map() }))).toThrow(/context\.m: holds a Map/);
    expect(() => encodeCheckpoint(envelope([1, 2]))).toThrow(/context: must be an object/);
  });

  it('returns independent copies and keeps working after growing its buffer', () => {
    const first = encodeEnvelopeFast(envelope({ a: 1 }))!;
    const before = first.toString('hex');
    const huge = encodeEnvelopeFast(envelope({ pad: 'y'.repeat(300_000) }))!;
    expect(decodeCheckpoint(huge).context).toEqual({ pad: 'y'.repeat(300_000) });
    encodeEnvelopeFast(envelope({ a: 2 }));
    expect(first.toString('hex')).toBe(before);
  });
});
