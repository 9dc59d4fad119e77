/**
 * Canonical JSON: one byte-exact text per value, so that hashing it gives a stable identity.
 */
import { InvalidArgumentError } from '../errors';

/**
 * Serialises `value` as compact, canonical JSON, the way Python's
 * `json.dumps(value, sort_keys=True, separators=(",", ":"))` (with its default
 * `ensure_ascii=True`) does, so that ids computed from it match the reference framework's.
 *
 * Output rules:
 * - No whitespace. Object keys sorted by Unicode code point, as Python sorts `str` keys
 *   (this equals UTF-16 code-unit order except for keys mixing astral characters with
 *   characters U+E000..U+FFFF, where Python's order is followed).
 * - Every character outside printable ASCII (`' '..'~'`), DEL (U+007F) included, is escaped as
 *   lowercase `\uXXXX`; characters above U+FFFF as their two UTF-16 surrogate escapes.
 *   `"`, `\`, `\b`, `\f`, `\n`, `\r`, `\t` use their short escapes. The result is pure ASCII.
 * - Objects (plain objects and class instances alike): own enumerable string-keyed properties;
 *   properties whose value is `undefined` are left out. Inside arrays, `undefined` becomes `null`.
 * - `Date` -> its ISO-8601 string (`toISOString()`, UTC, milliseconds); an invalid Date -> `null`.
 * - `bigint` -> its decimal digits (as Python prints an `int`).
 * - Numbers: as `JSON.stringify` prints them. JavaScript cannot tell `1` from `1.0`, so a value
 *   that Python holds as the float `1.0` (printed `"1.0"`) prints here as `1`; numbers of 1e21
 *   and above print in exponent form (`1e+21`), where Python prints a float from 1e16 on that
 *   way (`1e+16`) but an int in full. Ids computed here are therefore stable in TypeScript but
 *   match Python's only for integers below 1e21 and for floats whose shortest form has a
 *   fraction. `NaN`, `Infinity` and `-Infinity` print as those words (as Python does, and unlike
 *   `JSON.stringify`, which would make them collide with `null`); `-0` prints as `0`.
 * - `toJSON()` methods are not consulted (except through the Date rule above).
 *
 * @param value JSON-like data: string, number, boolean, null, bigint, Date, arrays, objects.
 * @returns the canonical text (ASCII only).
 * @throws InvalidArgumentError naming the path (e.g. `$.limits[2]`) for a function, symbol, `Map`, `Set`,
 *   a top-level `undefined`, or a circular reference.
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out, '$', []);
  return out.join('');
}

function write(value: unknown, out: string[], path: string, ancestors: object[]): void {
  switch (typeof value) {
    case 'string':
      out.push(quote(value));
      return;
    case 'number':
      out.push(Number.isFinite(value) ? JSON.stringify(value) : String(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(value.toString());
      return;
    case 'undefined':
      throw new InvalidArgumentError(`canonicalJson: ${path} is undefined, which has no JSON form`);
    case 'function':
    case 'symbol':
      throw new InvalidArgumentError(`canonicalJson: ${path} holds a ${typeof value}, which has no JSON form`);
  }
  if (value === null) {
    out.push('null');
    return;
  }
  const object = value as object;
  if (object instanceof Date) {
    out.push(Number.isNaN(object.getTime()) ? 'null' : quote(object.toISOString()));
    return;
  }
  if (object instanceof Map || object instanceof Set) {
    throw new InvalidArgumentError(`canonicalJson: ${path} holds a ${object instanceof Map ? 'Map' : 'Set'}, which has no JSON form`);
  }
  if (ancestors.includes(object)) {
    throw new InvalidArgumentError(`canonicalJson: ${path} is a circular reference`);
  }
  ancestors.push(object);
  if (Array.isArray(object)) {
    out.push('[');
    for (let i = 0; i < object.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = object[i];
      if (item === undefined) out.push('null');
      else write(item, out, `${path}[${i}]`, ancestors);
    }
    out.push(']');
  } else {
    const record = object as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort(compareCodePoints);
    out.push('{');
    for (let i = 0; i < keys.length; i++) {
      if (i > 0) out.push(',');
      out.push(quote(keys[i]), ':');
      write(record[keys[i]], out, `${path}.${keys[i]}`, ancestors);
    }
    out.push('}');
  }
  ancestors.pop();
}

// Characters that JSON.stringify leaves raw but Python's ensure_ascii escapes: DEL and above.
// (JSON.stringify already escapes U+0000..U+001F, `"`, `\` and lone surrogates, in lowercase hex.)
const NON_ASCII = /[\u007f-\uffff]/g;

function escapeCodeUnit(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

function quote(text: string): string {
  return JSON.stringify(text).replace(NON_ASCII, escapeCodeUnit);
}

/** Orders strings by Unicode code point (Python's `str` order). */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const xSurrogate = x >= 0xd800 && x <= 0xdfff;
      const ySurrogate = y >= 0xd800 && y <= 0xdfff;
      // A surrogate stands for a code point above U+FFFF: greater than any BMP character.
      if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}
