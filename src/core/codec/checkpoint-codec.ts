/**
 * The checkpoint blob: a versioned envelope around one
 * workflow's event and context, encoded with MessagePack (msgpackr). State stores keep the
 * bytes and never look inside.
 */
import { createHash } from 'node:crypto';
import { Packr } from 'msgpackr';
import { MinionsError, SerializationError } from '../errors';
import { formatPath } from './data-path';
import {
  classifyValue, describeValue, instanceWithMethods, MAX_CHECKPOINT_DEPTH, methodNames, PERSISTABLE_VALUES,
} from './persistable-value';
import { rootShape, type RebuildShape } from './rebuild-shape';
import { encodeEnvelopeFast } from './fast-envelope';

/**
 * The envelope version this code writes. It also reads version 1, the same envelope without
 * `minionId`, written by earlier releases.
 */
export const CHECKPOINT_SCHEMA_VERSION = 2;

/** One saved workflow, as the runner checkpoints it before each step. */
export interface CheckpointEnvelope {
  /** Always `CHECKPOINT_SCHEMA_VERSION` (a decoded version-1 blob comes back in this shape too). */
  schemaVersion: 2;
  orchestrationId: string;
  /**
   * Identity of the minion that saved the workflow, so that saved workflows can be told apart by
   * minion without the code; `null` when unknown (a version-1 blob).
   */
  minionId: string | null;
  workflowId: string;
  /** The event instance (stored as a map of its own fields). */
  event: unknown;
  /** The context instance (stored as a map of its own fields). */
  context: unknown;
  /** Index of the step to run next (0-based); not advanced past the last step. */
  nextStepIndex: number;
  /** Name of that step, for people reading stores. */
  nextStepName: string;
  /** {@link stepsFingerprint} of the minion's step list when the checkpoint was written. */
  stepsFingerprint: string;
  /** When the first step started, epoch milliseconds; `null` before that. */
  startedAt: number | null;
  /**
   * Only on the checkpoint of a failed workflow kept by `workflowFailurePolicy: 'keep'` (absent
   * on every other one): the error that ended it and when. The rest of the envelope is the
   * checkpoint saved before the failed step (`nextStepName` is that step), so a retry runs it again
   * with the context it had then. A start never resumes an envelope that has it.
   */
  failure?: CheckpointFailure;
}

/** Why a kept workflow failed: {@link CheckpointEnvelope.failure}. */
export interface CheckpointFailure {
  /** The error's type (its `name`, e.g. `TypeError`). */
  type: string;
  message: string;
  /** The step it failed in. */
  step: string;
  /** When it failed, epoch milliseconds. */
  at: number;
}

/** Envelope keys in the order they are written. */
const ENVELOPE_KEYS = [
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
] as const;
const ENVELOPE_KEY_SET: ReadonlySet<string> = new Set(ENVELOPE_KEYS);
/** Keys of a version-1 envelope: the same, without `minionId`. */
const V1_KEYS = ENVELOPE_KEYS.filter((key) => key !== 'minionId');
const V1_KEY_SET: ReadonlySet<string> = new Set(V1_KEYS);
/** The optional eleventh key of a version-2 envelope: only kept failed workflows carry it. */
const FAILURE_KEY = 'failure';

/**
 * Maps, not msgpackr records, so blobs are plain MessagePack that any reader can open.
 * Dates use the standard timestamp extension (-1) and come back as Dates; `undefined` uses
 * msgpackr's fixext and comes back as `undefined`. `toJSON` is ignored, so class instances are
 * always stored by their fields (what `rebuild` expects). `moreTypes` stays off: it only adds
 * msgpackr-specific encodings for values refused here anyway (Set, Error, RegExp, typed arrays).
 */
const packr = new Packr({ useRecords: false, mapsAsObjects: true, useToJSON: false, int64AsType: 'number' });

/**
 * Encodes a checkpoint envelope.
 *
 * Before encoding, one walk over `event` and `context` refuses anything that would not come
 * back as it went in: functions (including arrow-function fields), symbols, bigints, Map, Set,
 * Promise, Error, typed arrays and other built-in objects, circular references, and objects or
 * arrays nested deeper than {@link MAX_CHECKPOINT_DEPTH} (64) levels. Persistable: string,
 * number, boolean, null, undefined, arrays, plain objects, Date, and instances of user classes,
 * stored as their own enumerable fields. In the context, an instance whose class has methods
 * (or accessors) is refused unless it sits where a resume gives it its class back: a field whose
 * default, in the context class or a nested data class declared there, is an instance of that
 * same class (see `rebuildShape`); anywhere else it would come back as a plain object without
 * its methods. The context's own class may have methods. Symbol-keyed properties are not stored
 * (they are refused on the default instance at start, see `assertDataClass`).
 *
 * The result is a fresh copy (a `Buffer`, i.e. a `Uint8Array`), independent of later encodes.
 *
 * An envelope with `failure` (a failed workflow kept by `workflowFailurePolicy: 'keep'`) is
 * written with that eleventh key, after `startedAt`; without it, the blob has the ten keys only.
 *
 * Cost: an envelope with a small event and context of ASCII strings, numbers and booleans takes
 * about 0.5 microseconds (the fast path, `fast-envelope.ts`); one holding a Date, `undefined`,
 * non-ASCII text or a class instance with methods (below the event or context itself) goes
 * through validation and msgpackr, about 3 microseconds.
 *
 * @throws SerializationError (non-retryable) naming the field path, e.g.
 *   `context.items[1].fn: holds a Function, which a checkpoint cannot store...`,
 *   `context.a.b.c...: is nested deeper than 64 levels...`, `context.extra: holds a Money
 *   instance with methods (format)...`; also for an envelope field of the wrong type
 *   (`nextStepIndex`, ...).
 */
export function encodeCheckpoint(envelope: CheckpointEnvelope): Uint8Array {
  checkScalars(envelope);
  // A failure mark is rare (one write per kept failed workflow): the general path writes it.
  if (envelope.failure !== undefined) return encodeGeneral(envelope);
  // The common case (ASCII strings, numbers, booleans, null, arrays, objects): one validating
  // write, about 4x cheaper. Anything else takes the general path below, which decides.
  const fast = encodeEnvelopeFast(envelope);
  if (fast !== undefined) return fast;
  return encodeGeneral(envelope);
}

/** Validation with precise errors, then msgpackr; the only writer of `failure`. */
function encodeGeneral(envelope: CheckpointEnvelope): Uint8Array {
  checkData(envelope.event, 'event', false);
  checkData(envelope.context, 'context', true);
  const ordered = {
    schemaVersion: CHECKPOINT_SCHEMA_VERSION,
    orchestrationId: envelope.orchestrationId,
    minionId: envelope.minionId,
    workflowId: envelope.workflowId,
    event: envelope.event,
    context: envelope.context,
    nextStepIndex: envelope.nextStepIndex,
    nextStepName: envelope.nextStepName,
    stepsFingerprint: envelope.stepsFingerprint,
    startedAt: envelope.startedAt,
    ...(envelope.failure !== undefined && { failure: checkFailure(envelope.failure) }),
  };
  let packed: Uint8Array;
  try {
    packed = packr.pack(ordered);
  } catch (error) {
    throw new SerializationError('checkpoint', `could not be encoded: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  // msgpackr returns a view into its own write buffer, which later packs keep filling (and
  // which grows to the largest blob so far): copy, so a stored blob pins only its own bytes.
  return Buffer.from(packed);
}

function checkScalars(envelope: CheckpointEnvelope): void {
  if (typeof envelope !== 'object' || envelope === null) {
    throw new SerializationError('checkpoint', `expected an envelope object, got ${describeValue(envelope)}`);
  }
  if (envelope.schemaVersion !== CHECKPOINT_SCHEMA_VERSION) {
    throw new SerializationError('schemaVersion', `must be ${CHECKPOINT_SCHEMA_VERSION}, got ${String(envelope.schemaVersion)}`);
  }
  for (const key of ['orchestrationId', 'workflowId', 'nextStepName', 'stepsFingerprint'] as const) {
    if (typeof envelope[key] !== 'string') {
      throw new SerializationError(key, `must be a string, got ${describeValue(envelope[key])}`);
    }
  }
  if (envelope.minionId !== null && typeof envelope.minionId !== 'string') {
    throw new SerializationError('minionId', `must be a string or null, got ${describeValue(envelope.minionId)}`);
  }
  if (!Number.isSafeInteger(envelope.nextStepIndex) || envelope.nextStepIndex < 0) {
    throw new SerializationError('nextStepIndex', `must be a non-negative integer, got ${String(envelope.nextStepIndex)}`);
  }
  if (envelope.startedAt !== null && !Number.isFinite(envelope.startedAt)) {
    throw new SerializationError('startedAt', `must be epoch milliseconds or null, got ${String(envelope.startedAt)}`);
  }
}

/** A failure mark of four fields, copied (so no other field of the caller's object is stored). */
function checkFailure(f: CheckpointFailure): CheckpointFailure {
  if (typeof f !== 'object' || f === null) throw new SerializationError('failure', `must be an object, got ${describeValue(f)}`);
  for (const key of ['type', 'message', 'step'] as const) {
    if (typeof f[key] !== 'string') throw new SerializationError(`failure.${key}`, `must be a string, got ${describeValue(f[key])}`);
  }
  if (!Number.isFinite(f.at)) throw new SerializationError('failure.at', `must be epoch milliseconds, got ${String(f.at)}`);
  return { type: f.type, message: f.message, step: f.step, at: f.at };
}

/**
 * Refuses what msgpackr would drop, mangle or choke on, and (with `methods`) instances whose
 * methods a resume would not bring back. `root`: 'event' or 'context'.
 */
function checkData(value: unknown, root: string, methods: boolean): void {
  const kind = classifyValue(value);
  if (kind !== 'object' && kind !== 'instance') {
    throw new SerializationError(root, `must be an object (an instance of its data class), got ${describeValue(value)}`);
  }
  // The root is rebuilt as its own class on resume, whatever its methods.
  const at = methods ? rootShape(value as object) : undefined;
  const failure = findUnencodable(value, 0, at);
  if (failure === undefined) return;
  const segments = failure.reversedSegments.reverse();
  if (failure.tooDeep) {
    const cycle = cycleOnPath(value, segments);
    const path = formatPath(root, cycle ?? segments);
    throw new SerializationError(
      path,
      cycle
        ? 'is a circular reference to a containing object, which a checkpoint cannot store. Store data as a tree, without cycles.'
        : `is nested deeper than ${MAX_CHECKPOINT_DEPTH} levels, which a checkpoint does not store. Flatten the data.`,
    );
  }
  throw new SerializationError(
    formatPath(root, segments),
    `holds ${failure.what}, which a checkpoint cannot store. ${failure.fix}. Persistable: ${PERSISTABLE_VALUES}.`,
  );
}

interface Failure {
  /** Keys and indexes from the offending value up to the root (reversed once at the top). */
  reversedSegments: Array<string | number>;
  what: string;
  fix: string;
  /** Set when the walk passed {@link MAX_CHECKPOINT_DEPTH}: a cycle, or very deep data. */
  tooDeep?: true;
}

/**
 * The first value on the walk that cannot be stored. `depth`: the level of `value` (the event or
 * context is 0). `at`: where `value` sits for a resume: `undefined` when methods are not checked
 * (the event), `null` where a resume gives plain data, else the shape a resume rebuilds there.
 */
function findUnencodable(value: unknown, depth: number, at: RebuildShape | null | undefined): Failure | undefined {
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean' || type === 'undefined' || value === null) return undefined;
  const kind = classifyValue(value);
  if (typeof kind !== 'string') return { reversedSegments: [], what: kind.what, fix: kind.fix };
  if (kind === 'date') return undefined;
  if (depth > MAX_CHECKPOINT_DEPTH) return { reversedSegments: [], what: '', fix: '', tooDeep: true };
  if (kind === 'array') {
    const array = value as unknown[];
    const inner = at === undefined ? undefined : null;
    for (let i = 0; i < array.length; i++) {
      const failure = findUnencodable(array[i], depth + 1, inner);
      if (failure) {
        failure.reversedSegments.push(i);
        return failure;
      }
    }
    return undefined;
  }
  let fields: ReadonlyMap<string, RebuildShape> | null | undefined = at === undefined ? undefined : null;
  if (kind === 'instance' && at !== undefined) {
    const proto = Object.getPrototypeOf(value) as object;
    if (at !== null && at.proto === proto) {
      fields = at.fields;
    } else {
      const names = methodNames(proto);
      if (names.length > 0) return { reversedSegments: [], ...instanceWithMethods(value as object, names) };
    }
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    const failure = findUnencodable(record[keys[i]], depth + 1, fields == null ? fields : fields.get(keys[i]) ?? null);
    if (failure) {
      failure.reversedSegments.push(keys[i]);
      return failure;
    }
  }
  return undefined;
}

/**
 * After the walk went too deep along `segments`: the segments down to the first object met a
 * second time on that path (a cycle), or `undefined` when every object on it is distinct (data
 * that is simply too deep). The walk is depth-first, so a cycle shows on the path it followed.
 */
function cycleOnPath(root: unknown, segments: ReadonlyArray<string | number>): Array<string | number> | undefined {
  const seen: unknown[] = [root];
  let current = root;
  for (let i = 0; i < segments.length; i++) {
    current = (current as Record<string | number, unknown>)[segments[i]];
    if (seen.includes(current)) return segments.slice(0, i + 1);
    seen.push(current);
  }
  return undefined;
}

/**
 * A blob that is not a checkpoint this version can read: not MessagePack, not a map, a missing
 * or unknown key (`failure` is known in version 2 only), a field of the wrong type, or a `schemaVersion` other than 1 and 2. The resume logs
 * and skips such rows, leaving them in the store.
 */
export class CheckpointDecodeError extends MinionsError {
  static readonly code = 'MINIONS_CHECKPOINT_DECODE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(CheckpointDecodeError.code, message, options);
  }
}

const STRING_KEYS = ['orchestrationId', 'workflowId', 'nextStepName', 'stepsFingerprint'] as const;

/**
 * Decodes a blob written by the runtime's checkpoint encoder. `event` and `context` come back as plain
 * data (objects, arrays, Dates, primitives); turn them into instances with `rebuild`.
 *
 * A version-1 blob (no `minionId`) comes back in the current shape, with `minionId: null`.
 * A version-2 blob has exactly the ten keys, or those and `failure` (a kept failed workflow, see
 * {@link CheckpointEnvelope.failure}); any other key set is refused.
 *
 * @param blob the stored bytes (`Buffer` or `Uint8Array`).
 * @returns a fresh envelope with the ten keys, plus `failure` when the blob has it.
 * @throws CheckpointDecodeError naming what is wrong (see the class).
 */
export function decodeCheckpoint(blob: Uint8Array): CheckpointEnvelope {
  if (!(blob instanceof Uint8Array)) {
    throw new CheckpointDecodeError(`a checkpoint blob must be bytes (Uint8Array), got ${describeValue(blob)}`);
  }
  let raw: unknown;
  try {
    raw = packr.unpack(blob);
  } catch (error) {
    throw new CheckpointDecodeError(
      `checkpoint blob of ${blob.length} bytes is not valid MessagePack: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
  if (!isMap(raw)) {
    throw new CheckpointDecodeError(`checkpoint blob holds ${describeValue(raw)}, not an envelope map`);
  }
  const record = raw as Record<string, unknown>;
  const version = record.schemaVersion;
  if (version !== CHECKPOINT_SCHEMA_VERSION && version !== 1 && Object.prototype.hasOwnProperty.call(record, 'schemaVersion')) {
    throw new CheckpointDecodeError(
      `checkpoint schema version ${JSON.stringify(version)} is not supported (this version of Minions reads 1 and ${CHECKPOINT_SCHEMA_VERSION})`,
    );
  }
  const keys: readonly string[] = version === 1 ? V1_KEYS : ENVELOPE_KEYS;
  const keySet = version === 1 ? V1_KEY_SET : ENVELOPE_KEY_SET;
  // Counting known keys proves "no unknown, none missing" in one pass; the lists are built only for the error.
  let known = 0;
  let failed = false;
  for (const key in record) {
    if (!keySet.has(key)) {
      if (key === FAILURE_KEY && version !== 1) {
        failed = true;
        continue;
      }
      const unknown = Object.keys(record).filter((k) => !keySet.has(k) && (k !== FAILURE_KEY || version === 1));
      throw new CheckpointDecodeError(`checkpoint envelope has unknown key(s): ${unknown.join(', ')}`);
    }
    known++;
  }
  if (known !== keys.length) {
    const missing = keys.filter((key) => !Object.prototype.hasOwnProperty.call(record, key));
    throw new CheckpointDecodeError(`checkpoint envelope misses key(s): ${missing.join(', ')}`);
  }
  for (const key of STRING_KEYS) {
    if (typeof record[key] !== 'string') throw wrongType(key, 'a string', record[key]);
  }
  const minionId = version === 1 ? null : record.minionId;
  if (minionId !== null && typeof minionId !== 'string') throw wrongType('minionId', 'a string or null', minionId);
  const { nextStepIndex, startedAt } = record;
  if (typeof nextStepIndex !== 'number' || !Number.isSafeInteger(nextStepIndex) || nextStepIndex < 0) {
    throw wrongType('nextStepIndex', 'a non-negative integer', nextStepIndex);
  }
  if (startedAt !== null && (typeof startedAt !== 'number' || !Number.isFinite(startedAt))) {
    throw wrongType('startedAt', 'epoch milliseconds or null', startedAt);
  }
  if (!isMap(record.event)) throw wrongType('event', 'a map', record.event);
  if (!isMap(record.context)) throw wrongType('context', 'a map', record.context);
  const envelope: CheckpointEnvelope = {
    schemaVersion: CHECKPOINT_SCHEMA_VERSION,
    orchestrationId: record.orchestrationId as string,
    minionId,
    workflowId: record.workflowId as string,
    event: record.event,
    context: record.context,
    nextStepIndex,
    nextStepName: record.nextStepName as string,
    stepsFingerprint: record.stepsFingerprint as string,
    startedAt: startedAt as number | null,
  };
  if (failed) envelope.failure = decodeFailure(record.failure);
  return envelope;
}

function decodeFailure(raw: unknown): CheckpointFailure {
  if (!isMap(raw)) throw wrongType('failure', 'a map', raw);
  const f = raw as Record<string, unknown>;
  for (const key of ['type', 'message', 'step'] as const) {
    if (typeof f[key] !== 'string') throw wrongType(`failure.${key}`, 'a string', f[key]);
  }
  if (typeof f.at !== 'number' || !Number.isFinite(f.at)) throw wrongType('failure.at', 'epoch milliseconds', f.at);
  return { type: f.type as string, message: f.message as string, step: f.step as string, at: f.at };
}

function isMap(value: unknown): boolean {
  return classifyValue(value) === 'object';
}

function wrongType(key: string, expected: string, got: unknown): CheckpointDecodeError {
  return new CheckpointDecodeError(`checkpoint envelope field ${key} must be ${expected}, got ${describeValue(got)}`);
}

/**
 * Fingerprint of a minion's step list: the first 16 hex digits of SHA-256 of the step names joined by `'\n'`. Renaming,
 * adding, removing or reordering steps changes it, so a resume can refuse checkpoints whose
 * saved step index no longer means the same step.
 *
 * @param stepNames the step method names in run order.
 * @returns 16 lowercase hex digits.
 */
export function stepsFingerprint(stepNames: readonly string[]): string {
  return createHash('sha256').update(stepNames.join('\n'), 'utf8').digest('hex').slice(0, 16);
}
