/** Rebuilding event, context and config instances from decoded plain data. */
import type { DataClass } from './data-class';
import { joinPath } from './data-path';
import { classifyValue, describeValue } from './persistable-value';

/**
 * Decoded data does not fit the current data class: `path` names the field
 * (`context.limits.max`), `problem` what is wrong. Callers turn it into
 * `WorkflowContextTypeMismatchError` (resume) or `ConfigError` (config).
 */
export class DataShapeError extends Error {
  /** Field path, rooted at the `path` given to {@link rebuild}. */
  readonly path: string;
  /** What is wrong, e.g. `expected a number, got a string`. */
  readonly problem: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.name = 'DataShapeError';
    this.path = path;
    this.problem = problem;
  }
}

/**
 * Rebuilds a data class instance from decoded plain data: starts
 * from `new cls()` and assigns each key of `data` onto it.
 *
 * Per field, by what the default instance holds there:
 * - stored `null` or `undefined`: kept as is, whatever the default (a field may be nullable);
 * - default `undefined` (declared without initializer) or `null`: any stored value, unchecked;
 * - default string / number / boolean: the stored value must have the same `typeof`;
 * - default array: must be an array; its elements stay plain data (class instances inside arrays
 *   come back as plain objects);
 * - default plain object: must be an object; its contents stay plain data;
 * - default Date: a Date, or an ISO-8601 string (turned into a Date);
 * - default data class instance: must be an object; rebuilt recursively into `new Inner()`.
 * Fields missing from `data` keep their defaults (a field added to the class since the save).
 *
 * @param cls the current event/context class (already accepted by `assertDataClass`).
 * @param data the decoded value, normally a plain object.
 * @param path root of field paths in errors, e.g. `'context'`.
 * @returns a new instance of `cls`.
 * @throws DataShapeError when `data` is not an object, holds a key that is not a field of the
 *   default instance (declared-only fields count as fields), or a value of another kind than the
 *   default. Errors thrown by `new cls()` propagate unchanged.
 */
export function rebuild<T extends object>(cls: DataClass<T>, data: unknown, path: string): T {
  const target = new cls();
  fill(target as Record<string, unknown>, data, path, cls.name);
  return target;
}

function fill(target: Record<string, unknown>, data: unknown, path: string, className: string): void {
  if (!isObjectLike(data)) throw new DataShapeError(path, `expected an object for ${className || 'the data class'}, got ${describeValue(data)}`);
  const record = data as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!Object.prototype.hasOwnProperty.call(target, key)) {
      throw new DataShapeError(joinPath(path, key), `is not a field of ${className || 'the data class'} (it has no such property on a new instance)`);
    }
    const def = target[key];
    const stored = record[key];
    // Scalars of the default's kind, the common case, skip the path string and the classifier.
    const t = typeof stored;
    target[key] = (t === typeof def && (t === 'string' || t === 'number' || t === 'boolean')) ? stored : revive(def, stored, joinPath(path, key));
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?$/;

function revive(defaultValue: unknown, stored: unknown, path: string): unknown {
  if (stored === null || stored === undefined || defaultValue === null || defaultValue === undefined) return stored;
  const kind = classifyValue(defaultValue);
  switch (kind) {
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof stored !== kind) throw new DataShapeError(path, `expected a ${kind}, got ${describeValue(stored)}`);
      return stored;
    case 'array':
      if (!Array.isArray(stored)) throw new DataShapeError(path, `expected an array, got ${describeValue(stored)}`);
      return stored;
    case 'object':
      if (!isObjectLike(stored)) throw new DataShapeError(path, `expected an object, got ${describeValue(stored)}`);
      return stored;
    case 'date': {
      if (stored instanceof Date) return stored;
      if (typeof stored === 'string' && ISO_DATE.test(stored)) {
        const date = new Date(stored);
        if (!Number.isNaN(date.getTime())) return date;
      }
      throw new DataShapeError(path, `expected a Date, got ${describeValue(stored)}`);
    }
    case 'instance': {
      const inner = (defaultValue as { constructor: DataClass }).constructor;
      const target = new inner();
      fill(target as Record<string, unknown>, stored, path, inner.name);
      return target;
    }
    default:
      return stored;
  }
}

/** An object that is neither an array nor a Date. */
function isObjectLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
