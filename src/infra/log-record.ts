import type { LogLevel } from '../core/ports/logger';

/**
 * Turning a log call into one JSON-safe record `{ ts, level, msg, ...fields }`.
 * Pure functions, shared by the file logger and its stderr fallback. Internal to `src/infra`.
 */

/** The JSON form of an `Error` inside log fields. */
export interface SerializedError {
  error_type: string;
  error_message: string;
  stack?: string;
  /** The error's `code` (MinionsError, Node system errors), when it has a string or number one. */
  code?: string | number;
  /** The serialized `cause`, when the error has one. */
  cause?: unknown;
}

/** Keys every record starts with; a field of the same name is written as `field_<key>`. */
const RESERVED = new Set(['ts', 'level', 'msg']);
const MAX_DEPTH = 8;

/**
 * Builds the record written for one log call. Never mutates `fields`.
 * @param now Time of the call; default the current time. Written as ISO-8601 UTC with milliseconds.
 * @throws whatever a hostile field (a throwing getter) throws; callers fall back to stderr.
 */
export function buildLogRecord(level: LogLevel, message: string, fields?: Record<string, unknown>,
  now: Date = new Date()): Record<string, unknown> {
  const record: Record<string, unknown> = { ts: now.toISOString(), level, msg: String(message) };
  if (fields !== undefined && fields !== null) {
    for (const key of Object.keys(fields)) {
      const value = toJsonSafe(fields[key], 0, []);
      if (value === undefined) continue;
      record[RESERVED.has(key) ? `field_${key}` : key] = value;
    }
  }
  return record;
}

/** `{ error_type, error_message, stack }` (+ `code`, `cause` when present) of an `Error`. */
export function serializeError(error: Error): SerializedError {
  return toJsonSafe(error, 0, []) as SerializedError;
}

/**
 * A copy of `value` that `JSON.stringify` can write without throwing and without losing what
 * matters: errors as {@link SerializedError}, dates as ISO strings, bigints as strings,
 * non-finite numbers as strings, Maps as objects, Sets as arrays, binary data as a size note,
 * functions and symbols as a short description, cycles and depth > 8 as markers.
 */
export function toJsonSafe(value: unknown, depth: number, ancestors: object[]): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name || 'anonymous'}]`;
    default:
      break;
  }
  if (value === null) return null;
  const obj = value as object;
  if (ancestors.includes(obj)) return '[Circular]';
  if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? 'Invalid Date' : obj.toISOString();
  if (ArrayBuffer.isView(obj)) return `[${obj.constructor.name} ${obj.byteLength} bytes]`;
  if (obj instanceof ArrayBuffer) return `[ArrayBuffer ${obj.byteLength} bytes]`;
  if (depth >= MAX_DEPTH) return Array.isArray(obj) ? '[Array]' : '[Object]';

  const inner = [...ancestors, obj];
  const next = (v: unknown): unknown => toJsonSafe(v, depth + 1, inner);
  if (obj instanceof Error) {
    const out: SerializedError = { error_type: obj.name || obj.constructor.name, error_message: obj.message };
    if (obj.stack !== undefined) out.stack = obj.stack;
    const code = (obj as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    if (obj.cause !== undefined) out.cause = next(obj.cause);
    return out;
  }
  if (Array.isArray(obj)) return obj.map((item) => next(item) ?? null);
  if (obj instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of obj) out[String(k)] = next(v);
    return out;
  }
  if (obj instanceof Set) return [...obj].map((item) => next(item) ?? null);
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return next(toJSON.call(obj));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    const v = next((obj as Record<string, unknown>)[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
