/**
 * The fast path of `encodeCheckpoint`: a MessagePack writer for envelopes whose event and context
 * hold only the common values (ASCII strings, numbers, booleans, null, arrays, plain objects and
 * data-class instances). It validates while it writes, so the common checkpoint costs one walk
 * and one copy instead of a validation walk, msgpackr's generic writer and a copy.
 *
 * Anything else (a non-ASCII string, a Date, `undefined`, a hole in an array, a value a checkpoint
 * refuses, nesting past the depth limit, a class instance with methods below the event or context
 * itself) makes it give up and return `undefined`: the caller
 * then takes the general path (validation with precise errors, then msgpackr), so what is
 * accepted, refused and decoded never depends on which path wrote the blob.
 *
 * The output is standard MessagePack that msgpackr (and any reader) decodes to the same values
 * as msgpackr's own encoding: maps for objects (fixmap, map16 or map32), arrays, strings
 * (fixstr, str8, str16, str32), integers in the smallest int format msgpackr would pick, other
 * numbers as float64.
 */
import type { CheckpointEnvelope } from './checkpoint-codec';
import { classifyValue, isPlainDataPrototype, MAX_CHECKPOINT_DEPTH } from './persistable-value';

/**
 * The write buffer, reused by every encode (the result is copied out). Writers take it and a
 * position and return the new position: locals, not module state, on the hot path.
 */
const INITIAL_SIZE = 16 * 1024;
const SHRINK_ABOVE = 1024 * 1024;
let buf = Buffer.allocUnsafeSlow(INITIAL_SIZE);
let view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);

/** Thrown (and caught in this file only) when the value needs the general path. */
const GIVE_UP: unique symbol = Symbol('minions.fastEnvelope.giveUp');
/** Thrown when the buffer is too small: the encode is retried with a larger one. */
const NO_ROOM: unique symbol = Symbol('minions.fastEnvelope.noRoom');

/** Writes an ASCII string; gives up on any other character. */
function writeString(b: Buffer, p: number, s: string): number {
  const n = s.length;
  if (p + n + 5 > b.length) throw NO_ROOM;
  if (n < 0x20) b[p++] = 0xa0 | n;
  else if (n < 0x100) { b[p++] = 0xd9; b[p++] = n; }
  else if (n < 0x10000) { b[p++] = 0xda; b[p++] = n >> 8; b[p++] = n & 0xff; }
  else { b[p++] = 0xdb; view.setUint32(p, n); p += 4; }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) throw GIVE_UP;
    b[p++] = c;
  }
  return p;
}

/** The number formats msgpackr picks (so both paths give the same bytes for numbers). */
function writeNumber(b: Buffer, p: number, v: number): number {
  if (p + 9 > b.length) throw NO_ROOM;
  if (v >>> 0 === v) {
    if (v < 0x80) b[p++] = v;
    else if (v < 0x100) { b[p++] = 0xcc; b[p++] = v; }
    else if (v < 0x10000) { b[p++] = 0xcd; b[p++] = v >> 8; b[p++] = v & 0xff; }
    else { b[p++] = 0xce; view.setUint32(p, v); p += 4; }
  } else if (v >> 0 === v) {
    if (v >= -0x20) b[p++] = 0x100 + v;
    else if (v >= -0x80) { b[p++] = 0xd0; b[p++] = v + 0x100; }
    else if (v >= -0x8000) { b[p++] = 0xd1; view.setInt16(p, v); p += 2; }
    else { b[p++] = 0xd2; view.setInt32(p, v); p += 4; }
  } else {
    b[p++] = 0xcb;
    view.setFloat64(p, v);
    p += 8;
  }
  return p;
}

/** Map (`base` 0x80, 0xde, 0xdf) or array (`base` 0x90, 0xdc, 0xdd) header. */
function writeHeader(b: Buffer, p: number, size: number, fix: number, h16: number): number {
  if (p + 5 > b.length) throw NO_ROOM;
  if (size < 0x10) b[p++] = fix | size;
  else if (size < 0x10000) { b[p++] = h16; b[p++] = size >> 8; b[p++] = size & 0xff; }
  else { b[p++] = h16 + 1; view.setUint32(p, size); p += 4; }
  return p;
}

function writeValue(b: Buffer, p: number, v: unknown, depth: number): number {
  switch (typeof v) {
    case 'string':
      return writeString(b, p, v);
    case 'number':
      return writeNumber(b, p, v);
    case 'boolean':
      if (p + 1 > b.length) throw NO_ROOM;
      b[p] = v ? 0xc3 : 0xc2;
      return p + 1;
    case 'object':
      break;
    default:
      throw GIVE_UP; // undefined, function, symbol, bigint
  }
  if (v === null) {
    if (p + 1 > b.length) throw NO_ROOM;
    b[p] = 0xc0;
    return p + 1;
  }
  if (depth > MAX_CHECKPOINT_DEPTH) throw GIVE_UP;
  if (Array.isArray(v)) {
    const n = v.length;
    p = writeHeader(b, p, n, 0x90, 0xdc);
    for (let i = 0; i < n; i++) {
      if (!(i in v)) throw GIVE_UP; // a hole: msgpackr's undefined, left to it
      p = writeValue(b, p, v[i], depth + 1);
    }
    return p;
  }
  return writeRecord(b, p, v as Record<string, unknown>, depth);
}

/**
 * A plain object or an instance of a class without methods, by its own enumerable string keys.
 * Anything else (a Date, a refused built-in, an instance with methods, which the context may hold
 * only where a resume rebuilds its class) is left to the general path, which decides.
 */
function writeRecord(b: Buffer, p: number, v: Record<string, unknown>, depth: number): number {
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null && !isPlainDataPrototype(proto as object)) throw GIVE_UP;
  return writeFields(b, p, v, depth);
}

function writeFields(b: Buffer, p: number, v: Record<string, unknown>, depth: number): number {
  const keys = Object.keys(v);
  p = writeHeader(b, p, keys.length, 0x80, 0xde);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    p = writeRepeated(b, p, key);
    p = writeValue(b, p, v[key], depth + 1);
  }
  return p;
}

/** Precomputed bytes of the ten envelope keys, in envelope order. */
const KEY_BYTES = [
  'schemaVersion', 'orchestrationId', 'minionId', 'workflowId', 'event', 'context',
  'nextStepIndex', 'nextStepName', 'stepsFingerprint', 'startedAt',
].map((k) => Buffer.concat([Buffer.from([0xa0 | k.length]), Buffer.from(k, 'ascii')]));

function writeKey(b: Buffer, p: number, index: number): number {
  const bytes = KEY_BYTES[index];
  if (p + bytes.length > b.length) throw NO_ROOM;
  b.set(bytes, p);
  return p + bytes.length;
}

/**
 * Encoded bytes of the strings that repeat from one checkpoint to the next: field names and
 * the envelope's orchestration id, minion id, step name and fingerprint (never workflow ids or values).
 * Bounded: once full, new strings are simply written without caching.
 */
const REPEATED = new Map<string, Buffer>();
const REPEATED_MAX = 512;

function writeRepeated(b: Buffer, p: number, s: string): number {
  const bytes = REPEATED.get(s);
  if (bytes === undefined) {
    const end = writeString(b, p, s);
    if (REPEATED.size < REPEATED_MAX && s.length <= 64) REPEATED.set(s, Buffer.from(b.subarray(p, end)));
    return end;
  }
  if (p + bytes.length > b.length) throw NO_ROOM;
  b.set(bytes, p);
  return p + bytes.length;
}

function writeEnvelope(b: Buffer, e: CheckpointEnvelope): number {
  let p = writeHeader(b, 0, 10, 0x80, 0xde);
  p = writeNumber(b, writeKey(b, p, 0), e.schemaVersion);
  p = writeRepeated(b, writeKey(b, p, 1), e.orchestrationId);
  p = writeKey(b, p, 2);
  p = e.minionId === null ? writeValue(b, p, null, 0) : writeRepeated(b, p, e.minionId);
  p = writeString(b, writeKey(b, p, 3), e.workflowId);
  p = writeTopLevel(b, writeKey(b, p, 4), e.event);
  p = writeTopLevel(b, writeKey(b, p, 5), e.context);
  p = writeNumber(b, writeKey(b, p, 6), e.nextStepIndex);
  p = writeRepeated(b, writeKey(b, p, 7), e.nextStepName);
  p = writeRepeated(b, writeKey(b, p, 8), e.stepsFingerprint);
  p = writeKey(b, p, 9);
  if (e.startedAt !== null) return writeNumber(b, p, e.startedAt);
  if (p + 1 > b.length) throw NO_ROOM;
  b[p] = 0xc0;
  return p + 1;
}

/**
 * Encodes a validated-scalar envelope (the caller checked `schemaVersion`, the strings and the
 * numbers) when everything in it suits the fast path.
 * @returns a fresh `Buffer`, or `undefined` to say "use the general path".
 */
export function encodeEnvelopeFast(envelope: CheckpointEnvelope): Buffer | undefined {
  for (;;) {
    let end: number;
    try {
      end = writeEnvelope(buf, envelope);
    } catch (e) {
      if (e === GIVE_UP) return undefined;
      if (e !== NO_ROOM) throw e;
      if (buf.length >= 64 * 1024 * 1024) return undefined; // huge: msgpackr manages its own memory
      buf = Buffer.allocUnsafeSlow(buf.length * 4);
      view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      continue;
    }
    const out = Buffer.allocUnsafe(end);
    buf.copy(out, 0, 0, end);
    if (buf.length > SHRINK_ABOVE) {
      // one huge checkpoint must not pin a huge scratch buffer for the life of the process
      buf = Buffer.allocUnsafeSlow(INITIAL_SIZE);
      view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    }
    return out;
  }
}

/**
 * `event` and `context` must be objects (not arrays): the general path says so precisely. Their
 * own class may have methods: a resume rebuilds them on it.
 */
function writeTopLevel(b: Buffer, p: number, v: unknown): number {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw GIVE_UP;
  const proto: unknown = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) {
    const kind = classifyValue(v);
    if (kind !== 'instance' && kind !== 'object') throw GIVE_UP; // a Date or a refused built-in
  }
  return writeFields(b, p, v as Record<string, unknown>, 0);
}
