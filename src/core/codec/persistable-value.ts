/**
 * What counts as persistable data in an event, a context or a config: the kinds of value the
 * checkpoint codec stores and brings back, and for anything else what it is and how to fix it.
 */

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
 * instance sits where a resume rebuilds its class (see `rebuildShape`).
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
