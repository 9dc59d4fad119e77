/**
 * Persistable data classes: the event, context and config classes hold only data
 * that the checkpoint codec can store and bring back. This file says what counts as data,
 * refuses classes whose default instance holds anything else, and rebuilds instances from
 * decoded plain data.
 */
import { InvalidComponentError } from '../errors';

/** What a data class is used as; named in every message. */
export type DataRole = 'event' | 'context' | 'config';

/**
 * The kind of a persistable value:
 * - `object`: a plain object (prototype `Object.prototype`, or `null`), also from another realm;
 * - `instance`: an instance of a user class (no built-in type such as Map, Promise, Error,
 *   typed arrays or URL in its prototype chain): persisted by its own enumerable fields;
 * - the others as named (`array` includes subclasses of Array, `date` Dates of this realm).
 */
export type PersistableKind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'null'
  | 'undefined'
  | 'array'
  | 'object'
  | 'date'
  | 'instance';

/** Why a value cannot be persisted: `what` it is (`'a Map'`) and how to fix it. */
export interface Unpersistable {
  readonly what: string;
  readonly fix: string;
}

/**
 * How deeply objects and arrays may nest in an event or a context: the event or context itself is
 * level 0, `context.a` level 1, `context.a.b` level 2, and so on; a container at a deeper level is
 * refused (`SerializationError` at a checkpoint, `InvalidComponentError` for a default at start).
 * Checkpoint data deeper than this is almost always a mistake (a linked list, a parse tree, a
 * cycle through a getter), and the limit keeps every walk over the data far from the stack size.
 */
export const MAX_CHECKPOINT_DEPTH = 64;

/** The persistable values, as messages list them. */
export const PERSISTABLE_VALUES =
  'string, number, boolean, null, arrays, plain objects with string keys, Date, and nested data classes';

/**
 * Classifies `value` for persistence: its {@link PersistableKind}, or an
 * {@link Unpersistable} saying what it is and how to fix it. Containers (`array`, `object`,
 * `instance`) are not looked into: callers walk them. Any number is persistable (NaN and
 * infinities included); `undefined` is (it round-trips and marks declared-only fields).
 * Verdicts for class instances are cached per prototype, so repeated calls are cheap.
 */
export function classifyValue(value: unknown): PersistableKind | Unpersistable {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'undefined':
      return 'undefined';
    case 'function':
      return FUNCTION;
    case 'symbol':
      return SYMBOL;
    case 'bigint':
      return BIGINT;
  }
  if (value === null) return 'null';
  const proto: object | null = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return 'object';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  let verdict = prototypeVerdicts.get(proto);
  if (verdict === undefined) {
    verdict = classifyPrototype(proto);
    prototypeVerdicts.set(proto, verdict);
  }
  return verdict;
}

const FUNCTION: Unpersistable = {
  what: 'a Function',
  fix: 'Keep behaviour in methods declared on the class (not in arrow-function fields) or outside the data',
};
const SYMBOL: Unpersistable = { what: 'a symbol', fix: 'Use a string instead' };
const BIGINT: Unpersistable = { what: 'a bigint', fix: 'Use a number, or a string of digits' };

const FIXES: Readonly<Record<string, string>> = {
  Map: 'Use a plain object (Record<string, V>) or an array of [key, value] pairs',
  WeakMap: 'Keep it outside the data',
  Set: 'Use an array',
  WeakSet: 'Keep it outside the data',
  Promise: 'Await it in a step and store the result',
  Error: 'Store its name and message as strings',
  RegExp: 'Store its source and flags as strings',
  ArrayBuffer: 'Store bytes as a base64 string or an array of numbers',
  SharedArrayBuffer: 'Store bytes as a base64 string or an array of numbers',
  DataView: 'Store bytes as a base64 string or an array of numbers',
  TypedArray: 'Store bytes as a base64 string or an array of numbers',
  Date: 'This Date comes from another JavaScript realm (vm context, jest sandbox): store new Date(value.getTime())',
};
const GENERIC_FIX = `Use plain data: ${PERSISTABLE_VALUES}`;

const prototypeVerdicts = new WeakMap<object, 'object' | 'instance' | Unpersistable>();

function classifyPrototype(proto: object): 'object' | 'instance' | Unpersistable {
  for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    const ctor: unknown = Object.getOwnPropertyDescriptor(p, 'constructor')?.value;
    if (typeof ctor === 'function' && isNativeFunction(ctor)) {
      // Another realm's Object.prototype: the object is plain, or a user class from that realm.
      if (ctor.name === 'Object' && Object.getPrototypeOf(p) === null) return p === proto ? 'object' : 'instance';
      return builtIn(ctor.name, ctor.name === 'Date' ? 'Date from another realm' : undefined);
    }
    if (Object.prototype.hasOwnProperty.call(p, Symbol.toStringTag)) {
      // Built-ins implemented in JavaScript (URL, AbortSignal, Blob...) name themselves this way.
      const tag = Object.getOwnPropertyDescriptor(p, Symbol.toStringTag)?.value;
      return builtIn(typeof tag === 'string' ? tag : typeof ctor === 'function' ? ctor.name : 'built-in');
    }
  }
  return 'instance';
}

function builtIn(name: string, shown?: string): Unpersistable {
  const label = shown ?? name;
  return {
    what: /^[AEIO]/.test(label) ? `an ${label}` : `a ${label}`,
    fix: FIXES[name] ?? (/Array$/.test(name) ? FIXES.TypedArray : GENERIC_FIX),
  };
}

const NATIVE_CODE = /\{\s*\[native code\]\s*\}\s*$/;

function isNativeFunction(fn: Function): boolean {
  try {
    return NATIVE_CODE.test(Function.prototype.toString.call(fn));
  } catch {
    return false;
  }
}

/**
 * Names of the methods (functions and accessors, `constructor` excepted) on the prototype chain
 * of a class instance, up to `Object.prototype`; empty for a plain data class. Cached per prototype.
 * A checkpoint stores an instance by its own fields, so these do not survive a resume unless the
 * instance sits where a resume rebuilds its class (see {@link rebuildShape}).
 * @param proto the prototype of a value {@link classifyValue} calls `'instance'`.
 */
export function methodNames(proto: object): readonly string[] {
  let names = methodCache.get(proto);
  if (names === undefined) {
    const found = new Set<string>();
    for (let p: object | null = proto; p !== null && Object.getPrototypeOf(p) !== null; p = Object.getPrototypeOf(p)) {
      for (const key of Reflect.ownKeys(p)) if (key !== 'constructor') found.add(String(key));
    }
    names = [...found].sort();
    methodCache.set(proto, names);
  }
  return names;
}

const methodCache = new WeakMap<object, readonly string[]>();

/**
 * True when a value with prototype `proto` is stored with nothing lost wherever it sits: a plain
 * object (of any realm) or an instance of a class without methods. One cached lookup per
 * prototype: the checkpoint fast path asks it for every class instance it writes.
 */
export function isPlainDataPrototype(proto: object): boolean {
  let plain = plainCache.get(proto);
  if (plain === undefined) {
    let verdict = prototypeVerdicts.get(proto);
    if (verdict === undefined) {
      verdict = classifyPrototype(proto);
      prototypeVerdicts.set(proto, verdict);
    }
    plain = verdict === 'object' || (verdict === 'instance' && methodNames(proto).length === 0);
    plainCache.set(proto, plain);
  }
  return plain;
}

const plainCache = new WeakMap<object, boolean>();

/**
 * Where a resume gives class instances their class back ({@link rebuild}): below an instance of
 * `proto` rebuilt as such, each field in `fields` is rebuilt as an instance of that field's
 * shape's `proto`, because the default instance of the class holds one there. Everywhere else
 * (array elements, values inside plain objects, fields whose default is not an instance) values
 * come back as plain data.
 */
export interface RebuildShape {
  readonly proto: object;
  /** `null` when no field of the class defaults to a class instance. */
  readonly fields: ReadonlyMap<string, RebuildShape> | null;
}

/**
 * The {@link RebuildShape} of instances of `proto`, read from a default instance (`new
 * proto.constructor()`, once per prototype, as a resume would build it). A class that cannot be
 * constructed that way gets no rebuilt fields.
 */
export function rebuildShape(proto: object): RebuildShape {
  let shape = shapeCache.get(proto);
  if (shape !== undefined) return shape;
  const fields = new Map<string, RebuildShape>();
  shape = { proto, fields };
  shapeCache.set(proto, shape); // before the fields: a class may (indirectly) hold itself
  let instance: unknown;
  try {
    const ctor = (proto as { constructor?: unknown }).constructor;
    instance = typeof ctor === 'function' ? new (ctor as DataClass)() : undefined;
  } catch {
    instance = undefined;
  }
  if (instance !== null && typeof instance === 'object') {
    for (const key of Object.keys(instance)) {
      const def = (instance as Record<string, unknown>)[key];
      if (classifyValue(def) === 'instance') fields.set(key, rebuildShape(Object.getPrototypeOf(def) as object));
    }
  }
  if (fields.size === 0) {
    shape = { proto, fields: null };
    shapeCache.set(proto, shape);
  }
  return shape;
}

const shapeCache = new WeakMap<object, RebuildShape>();

/**
 * The {@link RebuildShape} of an event or context root: its class's, or `null` for a plain object
 * (rebuilt on its data class, whose shape is unknown here: nothing below it is taken as rebuilt).
 */
export function rootShape(root: object): RebuildShape | null {
  const proto = Object.getPrototypeOf(root) as object | null;
  return proto === null || proto === Object.prototype ? null : rebuildShape(proto);
}

/** What a message says of an instance whose methods would not survive a resume. */
export function instanceWithMethods(value: object, methods: readonly string[]): Unpersistable {
  const name = value.constructor?.name || 'class';
  return {
    what: `a ${name} instance with methods (${methods.join(', ')})`,
    fix: `A checkpoint keeps only its fields: after a resume it would be a plain object without them. ` +
      `Store plain data there (an object, or a class without methods), or give the context class a field ` +
      `whose default is a ${name} instance, where a resume rebuilds it`,
  };
}

/** Formats a field path: `a.b[2]`, `labels["x-y"]`. */
export function formatPath(root: string, segments: ReadonlyArray<string | number>): string {
  let out = root;
  for (const segment of segments) out = joinPath(out, segment);
  return out;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `base` + one more key or index, as {@link formatPath} writes it. */
export function joinPath(base: string, segment: string | number): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  if (IDENTIFIER.test(segment)) return base === '' ? segment : `${base}.${segment}`;
  return `${base}[${JSON.stringify(segment)}]`;
}

/** A constructible class; data classes are constructed with no arguments. */
export type DataClass<T extends object = object> = new () => T;

interface Problem {
  segments: Array<string | number>;
  what: string;
  fix: string;
}

/**
 * Checks that `cls` is a persistable data class for `role`, as `startOrchestration`
 * does for the event, context and config classes before anything starts:
 *
 * 1. `new cls()` works with no arguments;
 * 2. every own enumerable field of that default instance holds persistable data: string,
 *    number (any), boolean, null, `undefined` (a field declared without initializer, `name!: string`,
 *    which marks a required config field), arrays (elements checked), plain objects with string
 *    keys (values checked), Date, or a nested data class instance (checked the same way; where it
 *    is a field of a data class, its class must also construct with no arguments, because
 *    {@link rebuild} rebuilds it with `new Inner()`);
 * 3. no symbol-keyed enumerable properties (they would be silently dropped) and no cycles.
 *
 * Only the default instance is inspected: a field whose default is `null` or `undefined` may
 * later hold anything persistable, and the checkpoint codec checks actual values at every save.
 *
 * @param cls the class to check.
 * @param role what the class is used as, named in messages.
 * @param owner who uses it, named first in messages (e.g. `'@minion Watcher'`).
 * @throws InvalidComponentError `"<owner>: <role> class X field a.b[2] holds a Function (not
 *   persistable). <fix>..."`, or `"... could not be constructed with no arguments ..."` (with the
 *   constructor's error as `cause`).
 */
export function assertDataClass(cls: unknown, role: DataRole, owner: string): asserts cls is DataClass {
  if (typeof cls !== 'function') {
    throw new InvalidComponentError(
      `${owner}: the ${role} class must be a class constructible with no arguments, got ${describeValue(cls)}.`,
    );
  }
  const name = cls.name || '<anonymous class>';
  const instance = construct(cls as DataClass, `${owner}: ${role} class ${name}`);
  const kind = classifyValue(instance);
  if (kind !== 'instance' && kind !== 'object') {
    const what = typeof kind === 'string' ? `${kind === 'array' ? 'an' : 'a'} ${kind}` : kind.what;
    throw new InvalidComponentError(
      `${owner}: ${role} class ${name} is not a data class: its instances are ${what}. ` +
        `Declare a plain class whose fields hold ${PERSISTABLE_VALUES}.`,
    );
  }
  const problem = checkFields(instance as Record<string, unknown>, [], [instance], `${owner}: ${role} class ${name}`, true, role === 'context');
  if (problem) {
    const where = problem.segments.length > 0 ? ` field ${formatPath('', problem.segments)}` : '';
    throw new InvalidComponentError(
      `${owner}: ${role} class ${name}${where} holds ${problem.what} (not persistable). ` +
        `${problem.fix}. Persistable: ${PERSISTABLE_VALUES}.`,
    );
  }
}

function construct(cls: DataClass, who: string): object {
  try {
    return new cls();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidComponentError(
      `${who} could not be constructed with no arguments (${reason}). ` +
        'Data classes are built by the runtime with `new X()`: give every constructor parameter a default, ' +
        'or declare the fields with initializers and no constructor.',
      { cause: error },
    );
  }
}

/** Checks the own fields of an object; `asFields`: its instance-valued fields are rebuilt, so their classes must construct. */
function checkFields(
  object: Record<string, unknown>,
  segments: Array<string | number>,
  ancestors: object[],
  who: string,
  asFields: boolean,
  methods: boolean,
): Problem | undefined {
  const symbols = Object.getOwnPropertySymbols(object).filter((s) => Object.prototype.propertyIsEnumerable.call(object, s));
  if (symbols.length > 0) {
    return {
      segments,
      what: `a symbol-keyed property ${String(symbols[0])}`,
      fix: 'Use string keys: symbol-keyed properties are not persisted',
    };
  }
  for (const key of Object.keys(object)) {
    const problem = checkValue(object[key], [...segments, key], ancestors, who, asFields, methods);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * `isField`: the value is a field of a data class that a resume rebuilds, so an instance there
 * gets its class back. `methods`: refuse instances with methods where that is not so (contexts,
 * whose values steps may replace at run time and the checkpoint checks the same way).
 */
function checkValue(
  value: unknown,
  segments: Array<string | number>,
  ancestors: object[],
  who: string,
  isField: boolean,
  methods: boolean,
): Problem | undefined {
  const kind = classifyValue(value);
  if (typeof kind !== 'string') return { segments, what: kind.what, fix: kind.fix };
  if (kind !== 'array' && kind !== 'object' && kind !== 'instance') return undefined;
  const object = value as object;
  if (ancestors.includes(object)) {
    return { segments, what: 'a circular reference to a containing object', fix: 'Store data as a tree, without cycles' };
  }
  if (segments.length > MAX_CHECKPOINT_DEPTH) {
    return { segments, what: `data nested deeper than ${MAX_CHECKPOINT_DEPTH} levels`, fix: 'Flatten the data' };
  }
  if (kind === 'instance' && methods && !isField) {
    const names = methodNames(Object.getPrototypeOf(object) as object);
    if (names.length > 0) return { segments, ...instanceWithMethods(object, names) };
  }
  ancestors.push(object);
  try {
    if (kind === 'array') {
      const array = object as unknown[];
      for (let i = 0; i < array.length; i++) {
        const problem = checkValue(array[i], [...segments, i], ancestors, who, false, methods);
        if (problem) return problem;
      }
      return undefined;
    }
    if (kind === 'instance' && isField) {
      const inner = (object as { constructor: DataClass }).constructor;
      construct(inner, `${who} field ${formatPath('', segments)}: nested data class ${inner.name || '<anonymous class>'}`);
    }
    // Inside plain objects, values come back as plain data: their classes are not rebuilt.
    return checkFields(object as Record<string, unknown>, segments, ancestors, who, kind === 'instance' && isField, methods);
  } finally {
    ancestors.pop();
  }
}

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
 * @param cls the current event/context class (already accepted by {@link assertDataClass}).
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

/** Short description of a value's kind for messages: `a string`, `an array`, `null`, `a Map`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  const kind = classifyValue(value);
  if (typeof kind !== 'string') return kind.what;
  switch (kind) {
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    case 'date':
      return 'a Date';
    case 'instance': {
      const name = (value as object).constructor?.name;
      return name ? `a ${name} instance` : 'a class instance';
    }
    default:
      return `a ${kind}`;
  }
}
