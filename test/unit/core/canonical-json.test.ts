import { canonicalJson } from '../../../src/core/identity/canonical-json';
import { InvalidArgumentError } from '../../../src/core/errors';

// Expected strings below were produced by Python's
// json.dumps(value, sort_keys=True, separators=(",", ":")) (ensure_ascii defaults to True).
describe('SEMANTICS 2: canonical JSON matches Python json.dumps(sort_keys=True, compact, ensure_ascii)', () => {
  it('is compact with keys sorted at every level', () => {
    const value = { b: 1, a: [1, 'x', null, true, false], c: { z: 'é', y: '\u007f\t\n"\\\\/' } };
    expect(canonicalJson(value)).toBe('{"a":[1,"x",null,true,false],"b":1,"c":{"y":"\\u007f\\t\\n\\"\\\\\\\\/","z":"\\u00e9"}}');
  });

  it('escapes non-ASCII as lowercase \\uXXXX, astral characters as two surrogate escapes', () => {
    expect(canonicalJson('😀 naïve \u0001')).toBe('"\\ud83d\\ude00 na\\u00efve \\u0001"');
    expect(canonicalJson('configs/é.toml')).toBe('"configs/\\u00e9.toml"');
    expect(canonicalJson('\u2028\uFFFF')).toBe('"\\u2028\\uffff"');
  });

  it('escapes lone surrogates like Python does', () => {
    expect(canonicalJson('\ud800x')).toBe('"\\ud800x"');
  });

  it('sorts keys by code point, as Python sorts str (astral after U+E000)', () => {
    expect(canonicalJson({ '\ue000': 1, '😀': 2, a: 3 })).toBe('{"a":3,"\\ue000":1,"\\ud83d\\ude00":2}');
    expect(canonicalJson({ ab: 1, a: 2, B: 3 })).toBe('{"B":3,"a":2,"ab":1}');
  });

  it('prints numbers as JSON.stringify does; integers as integers', () => {
    expect(canonicalJson([1.5, -2, 0, 100, 1e20])).toBe('[1.5,-2,0,100,100000000000000000000]');
    // Documented divergence: Python prints the float 1.0 as "1.0"; JavaScript has only 1.
    expect(canonicalJson(1.0)).toBe('1');
  });

  it('prints NaN and the infinities as Python does, never as null', () => {
    expect(canonicalJson([NaN, Infinity, -Infinity, null])).toBe('[NaN,Infinity,-Infinity,null]');
  });

  it('prints bigints as their digits (Python int)', () => {
    expect(canonicalJson({ n: 12345678901234567890n })).toBe('{"n":12345678901234567890}');
  });

  it('writes Dates as ISO strings and invalid Dates as null', () => {
    expect(canonicalJson({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)) })).toBe('{"at":"2024-01-02T03:04:05.006Z"}');
    expect(canonicalJson([new Date('nope')])).toBe('[null]');
  });

  it('omits undefined object fields and writes undefined array items as null', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined, 1])).toBe('[null,1]');
  });

  it('serialises class instances by their own enumerable fields, ignoring methods and toJSON', () => {
    class Cfg {
      threshold = 100;
      name = 'x';
      toJSON() {
        return 'ignored';
      }
      describe() {
        return 'method';
      }
    }
    expect(canonicalJson(new Cfg())).toBe('{"name":"x","threshold":100}');
  });

  it('refuses values without a JSON form, naming the path', () => {
    expect(() => canonicalJson({ a: [1, () => 1] })).toThrow('$.a[1] holds a function');
    expect(() => canonicalJson({ s: Symbol('x') })).toThrow('$.s holds a symbol');
    expect(() => canonicalJson({ m: new Map() })).toThrow('$.m holds a Map');
    expect(() => canonicalJson({ s: new Set() })).toThrow('$.s holds a Set');
    expect(() => canonicalJson(undefined)).toThrow(InvalidArgumentError);
  });

  it('refuses circular references but accepts shared (acyclic) ones', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow('$.self is a circular reference');
  });
});
