import { InvalidComponentError } from '../../../src/core/errors';
import { assertDataClass } from '../../../src/core/codec/data-class';
import { formatPath } from '../../../src/core/codec/data-path';
import { classifyValue, describeValue, MAX_CHECKPOINT_DEPTH } from '../../../src/core/codec/persistable-value';
import { DataShapeError, rebuild } from '../../../src/core/codec/rebuild';

class Point {
  x = 0;
  y = 0;
  norm(): number {
    return Math.hypot(this.x, this.y);
  }
}

class Ctx {
  seq = 0;
  label = '';
  done = false;
  note: string | null = null;
  items: string[] = [];
  counts: Record<string, number> = {};
  at = new Date(0);
  origin = new Point();
  later?: string = undefined;
}

class Cfg {
  name!: string; // declared only: a required config field
  threshold = 100;
}

function invalid(fn: () => void): InvalidComponentError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidComponentError);
    return error as InvalidComponentError;
  }
  throw new Error('expected an InvalidComponentError');
}

describe('SEMANTICS 5: event, context and config classes hold persistable data', () => {
  it('accepts primitives, null, arrays, plain objects, Date, nested data classes and declared-only fields', () => {
    expect(() => assertDataClass(Ctx, 'context', '@minion Watcher')).not.toThrow();
    expect(() => assertDataClass(Cfg, 'config', '@minion Watcher')).not.toThrow();
    expect(() => assertDataClass(Point, 'event', '@pipeline Feed')).not.toThrow();
  });

  it('accepts any number, nested arrays of data, null-prototype objects and class instances inside arrays', () => {
    class Pair {
      a = 0;
      b = 0;
    }
    class Odd {
      n = NaN;
      inf = -Infinity;
      grid = [[1, 2], [3]];
      bag = Object.assign(Object.create(null), { a: 1 });
      pairs = [new Pair()];
    }
    expect(() => assertDataClass(Odd, 'context', 'M')).not.toThrow();
  });

  it('a context default may hold instances with methods only where a resume rebuilds their class (fields of data classes)', () => {
    class InArray {
      points = [new Point()];
    }
    class InObject {
      byName = { origin: new Point() };
    }
    class Declared {
      origin = new Point();
      nested = { list: [1] };
    }
    expect(invalid(() => assertDataClass(InArray, 'context', '@minion M')).message).toContain(
      '@minion M: context class InArray field points[0] holds a Point instance with methods (norm) (not persistable).',
    );
    expect(invalid(() => assertDataClass(InObject, 'context', '@minion M')).message).toContain('field byName.origin holds a Point instance with methods (norm)');
    expect(() => assertDataClass(Declared, 'context', '@minion M')).not.toThrow();
    // Events and configs are not checked for methods: nothing is placed in them at run time.
    expect(() => assertDataClass(InArray, 'event', '@pipeline P')).not.toThrow();
    expect(() => assertDataClass(InArray, 'config', '@minion M')).not.toThrow();
  });

  it('refuses a default nested deeper than the checkpoint depth limit, naming where, without overflowing the stack', () => {
    class Deep {
      tree: Record<string, unknown> = (() => {
        let t: Record<string, unknown> = {};
        for (let i = 0; i < 10_000; i++) t = { n: t };
        return t;
      })();
    }
    const error = invalid(() => assertDataClass(Deep, 'context', 'M'));
    expect(error.message).toContain(`field tree${'.n'.repeat(MAX_CHECKPOINT_DEPTH)} holds data nested deeper than ${MAX_CHECKPOINT_DEPTH} levels`);
  });

  it.each([
    ['a Function', class { fn = () => 1; }, 'fn'],
    ['a Map', class { m = new Map(); }, 'm'],
    ['a Set', class { s = new Set(); }, 's'],
    ['a bigint', class { n = 1n; }, 'n'],
    ['a symbol', class { s = Symbol('x'); }, 's'],
    ['a Promise', class { p = Promise.resolve(1); }, 'p'],
    ['an Error', class { e = new Error('x'); }, 'e'],
    ['a RegExp', class { r = /x/; }, 'r'],
    ['a Uint8Array', class { b = new Uint8Array(2); }, 'b'],
    ['a URL', class { u = new URL('https://example.com'); }, 'u'],
  ])('refuses a field holding %s, naming owner, role, class, field and a fix', (what, cls, field) => {
    Object.defineProperty(cls, 'name', { value: 'Bad' });
    const error = invalid(() => assertDataClass(cls, 'context', '@minion Watcher'));
    expect(error.message).toContain(`@minion Watcher: context class Bad field ${field} holds ${what} (not persistable).`);
    expect(error.message).toContain('Persistable: string, number, boolean, null, arrays');
  });

  it('names the full path of a value deep inside arrays and objects: a.b[2]', () => {
    class Deep {
      a = { b: [1, 2, { fn: () => 1 }] };
    }
    const error = invalid(() => assertDataClass(Deep, 'event', 'Feed'));
    expect(error.message).toContain('Feed: event class Deep field a.b[2].fn holds a Function (not persistable).');
    expect(error.message).toContain('Keep behaviour in methods');
  });

  it('quotes keys that are not identifiers', () => {
    class Keys {
      labels: Record<string, unknown> = { 'x-y': new Set() };
    }
    expect(invalid(() => assertDataClass(Keys, 'config', 'M')).message).toContain('field labels["x-y"] holds a Set');
  });

  it('checks nested data classes recursively (a class instance holding a function is not data)', () => {
    class Handler {
      onEvent = () => undefined;
    }
    class WithHandler {
      handler = new Handler();
    }
    expect(invalid(() => assertDataClass(WithHandler, 'context', 'M')).message).toContain(
      'field handler.onEvent holds a Function',
    );
  });

  it('refuses a class that cannot be constructed with no arguments, naming class and role', () => {
    class NeedsArgs {
      constructor(readonly n: number) {
        if (n === undefined) throw new Error('n is required');
      }
    }
    const error = invalid(() => assertDataClass(NeedsArgs, 'event', '@pipeline Feed'));
    expect(error.message).toContain('@pipeline Feed: event class NeedsArgs could not be constructed with no arguments (n is required)');
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('refuses a nested data class field whose class needs constructor arguments (it is rebuilt with new Inner())', () => {
    class Inner {
      constructor(readonly v: { x: number }) {
        void v.x;
      }
    }
    class Outer {
      inner = new Inner({ x: 1 });
    }
    expect(invalid(() => assertDataClass(Outer, 'context', 'M')).message).toContain(
      'M: context class Outer field inner: nested data class Inner could not be constructed with no arguments',
    );
  });

  it('refuses a non-class, a built-in class and a class whose instances are arrays', () => {
    expect(invalid(() => assertDataClass(42, 'event', 'M')).message).toContain('M: the event class must be a class');
    expect(invalid(() => assertDataClass(Map, 'event', 'M')).message).toContain('event class Map is not a data class: its instances are a Map');
    class List extends Array<number> {}
    expect(invalid(() => assertDataClass(List, 'event', 'M')).message).toContain('its instances are an array');
  });

  it('refuses circular references and symbol-keyed properties', () => {
    class Loop {
      self: unknown = this;
    }
    expect(invalid(() => assertDataClass(Loop, 'context', 'M')).message).toContain('field self holds a circular reference');
    const key = Symbol('k');
    class Sym {
      [key] = 1;
    }
    expect(invalid(() => assertDataClass(Sym, 'context', 'M')).message).toContain('holds a symbol-keyed property Symbol(k)');
  });
});

describe('SEMANTICS 5: classifyValue tells persistable kinds from the rest', () => {
  it('classifies values', () => {
    expect(classifyValue('s')).toBe('string');
    expect(classifyValue(1)).toBe('number');
    expect(classifyValue(true)).toBe('boolean');
    expect(classifyValue(null)).toBe('null');
    expect(classifyValue(undefined)).toBe('undefined');
    expect(classifyValue([])).toBe('array');
    expect(classifyValue({})).toBe('object');
    expect(classifyValue(Object.create(null))).toBe('object');
    expect(classifyValue(new Date())).toBe('date');
    expect(classifyValue(new Point())).toBe('instance');
    expect(classifyValue(new Map())).toMatchObject({ what: 'a Map' });
    expect(classifyValue(Buffer.alloc(1))).toMatchObject({ what: 'a Uint8Array' });
  });

  it('refuses subclasses of built-ins', () => {
    class MyMap extends Map<string, number> {}
    class MyError extends Error {}
    expect(classifyValue(new MyMap())).toMatchObject({ what: 'a Map' });
    expect(classifyValue(new MyError())).toMatchObject({ what: 'an Error' });
  });

  it('formats paths and describes values for messages', () => {
    expect(formatPath('context', ['items', 1, 'fn'])).toBe('context.items[1].fn');
    expect(formatPath('', ['a', 'x y'])).toBe('a["x y"]');
    expect(describeValue('x')).toBe('a string');
    expect(describeValue([])).toBe('an array');
    expect(describeValue(new Point())).toBe('a Point instance');
  });
});

describe('SEMANTICS 5: rebuild restores event/context instances from decoded plain data', () => {
  it('starts from new Context() and assigns the stored fields; missing fields keep their defaults', () => {
    const ctx = rebuild(Ctx, { seq: 3, label: 'x', items: ['a'] }, 'context');
    expect(ctx).toBeInstanceOf(Ctx);
    expect(ctx).toMatchObject({ seq: 3, label: 'x', items: ['a'], done: false, counts: {} });
    expect(ctx.at).toEqual(new Date(0));
  });

  it('gives nested data-class fields their class back; array elements stay plain', () => {
    class Trip {
      origin = new Point();
      stops: Point[] = [];
    }
    const trip = rebuild(Trip, { origin: { x: 3, y: 4 }, stops: [{ x: 1, y: 1 }] }, 'context');
    expect(trip.origin).toBeInstanceOf(Point);
    expect(trip.origin.norm()).toBe(5);
    expect(trip.stops[0]).not.toBeInstanceOf(Point);
    expect(trip.stops[0]).toEqual({ x: 1, y: 1 });
  });

  it('builds a fresh nested instance, never mutating a default shared between instances', () => {
    const shared = new Point();
    class UsesShared {
      p = shared;
    }
    const rebuilt = rebuild(UsesShared, { p: { x: 9 } }, 'context');
    expect(rebuilt.p.x).toBe(9);
    expect(shared.x).toBe(0);
  });

  it('accepts a Date or an ISO string where the default is a Date', () => {
    const when = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));
    expect(rebuild(Ctx, { at: when }, 'context').at).toBe(when);
    expect(rebuild(Ctx, { at: '2024-05-06T07:08:09.000Z' }, 'context').at).toEqual(when);
    expect(() => rebuild(Ctx, { at: 'yesterday' }, 'context')).toThrow('context.at: expected a Date, got a string');
  });

  it('accepts any value where the default is null or undefined, and null/undefined anywhere', () => {
    const ctx = rebuild(Ctx, { note: 'n', later: 'l', seq: null }, 'context');
    expect(ctx).toMatchObject({ note: 'n', later: 'l', seq: null });
    const cfg = rebuild(Cfg, { name: 'alpha' }, 'config');
    expect(cfg.name).toBe('alpha');
  });

  it('reports a stored field that is not on the class as a DataShapeError with its path', () => {
    let error: unknown;
    try {
      rebuild(Ctx, { seq: 1, removed: true }, 'context');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DataShapeError);
    expect(error).toMatchObject({ path: 'context.removed' });
    expect((error as Error).message).toBe('context.removed: is not a field of Ctx (it has no such property on a new instance)');
  });

  it('does not let a stored __proto__ key reach the prototype', () => {
    const data = JSON.parse('{"__proto__": {"polluted": true}}');
    expect(() => rebuild(Ctx, data, 'context')).toThrow(DataShapeError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['number', { seq: 'one' }, 'context.seq: expected a number, got a string'],
    ['string', { label: 5 }, 'context.label: expected a string, got a number'],
    ['boolean', { done: 'yes' }, 'context.done: expected a boolean, got a string'],
    ['array', { items: {} }, 'context.items: expected an array, got an object'],
    ['plain object', { counts: [] }, 'context.counts: expected an object, got an array'],
    ['nested data class', { origin: 7 }, 'context.origin: expected an object for Point, got a number'],
    ['nested field', { origin: { x: 'far' } }, 'context.origin.x: expected a number, got a string'],
  ])('reports a kind mismatch (%s) as a DataShapeError', (_label, data, message) => {
    expect(() => rebuild(Ctx, data, 'context')).toThrow(DataShapeError);
    expect(() => rebuild(Ctx, data, 'context')).toThrow(message);
  });

  it('refuses data that is not an object', () => {
    expect(() => rebuild(Ctx, [1], 'event')).toThrow('event: expected an object for Ctx, got an array');
    expect(() => rebuild(Ctx, null, 'event')).toThrow('event: expected an object for Ctx, got null');
  });
});
