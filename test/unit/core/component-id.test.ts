import * as path from 'node:path';
import { InvalidComponentError } from '../../../src/core/errors';
import {
  assertCanonicalUuid,
  callerFile,
  fallbackAddress,
  isCanonicalUuid,
  toPortablePath,
} from '../../../src/core/identity/component-id';

const SRC = path.resolve(__dirname, '../../../src');

describe('SEMANTICS 2 / REFERENCE I-01: an explicit component id is a canonical lowercase UUID', () => {
  it('accepts lowercase hyphenated UUIDs of any version, the nil UUID included', () => {
    expect(isCanonicalUuid('11111111-1111-4111-8111-111111111111')).toBe(true);
    expect(isCanonicalUuid('0189f7e2-6c1b-7d2e-9f00-1a2b3c4d5e6f')).toBe(true);
    expect(isCanonicalUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });

  it.each([
    ['uppercase', '11111111-1111-4111-8111-11111111111A'],
    ['no hyphens', '11111111111141118111111111111111'],
    ['braces', '{11111111-1111-4111-8111-111111111111}'],
    ['surrounding space', ' 11111111-1111-4111-8111-111111111111'],
    ['too short', '11111111-1111-4111-8111-11111111111'],
    ['empty', ''],
  ])('refuses %s', (_label, id) => {
    expect(isCanonicalUuid(id)).toBe(false);
    expect(() => assertCanonicalUuid(id, '@minion(Watcher)')).toThrow(InvalidComponentError);
  });

  it('names the decorator, the bad value and the remedy', () => {
    expect(() => assertCanonicalUuid('ABC', '@resource(Db)')).toThrow(
      /^@resource\(Db\): id must be a canonical lowercase UUID .* got "ABC"\. Generate one with crypto\.randomUUID\(\)/,
    );
    expect(() => assertCanonicalUuid(42, '@pipeline(Feed)')).toThrow('got number');
  });
});

describe('SEMANTICS 2 (fixes Q-01): the fallback address is <path relative to the project root>:<ClassName>', () => {
  it('is the POSIX path relative to the root, then the class name', () => {
    expect(fallbackAddress('/proj/src/app/watcher.ts', 'Watcher', '/proj')).toBe('src/app/watcher.ts:Watcher');
    expect(fallbackAddress('/proj/src/app/watcher.ts', 'Watcher', '/proj/')).toBe('src/app/watcher.ts:Watcher');
  });

  it('keeps two classes of one file apart', () => {
    expect(fallbackAddress('/proj/a.ts', 'One', '/proj')).not.toBe(fallbackAddress('/proj/a.ts', 'Two', '/proj'));
  });

  it('is absolute (POSIX) for a file outside the root', () => {
    expect(fallbackAddress('/elsewhere/lib/x.js', 'X', '/proj')).toBe('/elsewhere/lib/x.js:X');
    expect(fallbackAddress('/proj-other/x.js', 'X', '/proj')).toBe('/proj-other/x.js:X');
  });

  it('treats a directory named "..something" inside the root as inside', () => {
    expect(toPortablePath('/proj/..cache/x.ts', '/proj')).toBe('..cache/x.ts');
  });

  it('defaults the root to the working directory and resolves relative files against it', () => {
    expect(fallbackAddress('src/a.ts', 'A')).toBe('src/a.ts:A');
    expect(fallbackAddress(path.join(process.cwd(), 'src', 'a.ts'), 'A')).toBe('src/a.ts:A');
  });
});

describe('SEMANTICS 2: callerFile finds the file where the decorator ran', () => {
  const stack = (...frames: string[]) => ['Error', ...frames.map((f) => `    at ${f}`)].join('\n');

  it('skips Minions core/decorators frames, decorator helper libraries and Node internals', () => {
    const trace = stack(
      `captureStack (${SRC}/core/identity/component-id.ts:120:12)`,
      `callerFile (${SRC}/core/identity/component-id.ts:100:3)`,
      `${SRC}/decorators/minion.ts:30:20`,
      'DecorateConstructor (/proj/node_modules/reflect-metadata/Reflect.js:541:33)',
      'Object.decorate (/proj/node_modules/reflect-metadata/Reflect.js:130:24)',
      '__decorate (/proj/node_modules/tslib/tslib.js:99:9)',
      'Object.<anonymous> (/proj/app/watcher.ts:12:13)',
      'Module._compile (node:internal/modules/cjs/loader:1521:14)',
    );
    expect(callerFile(0, trace)).toBe('/proj/app/watcher.ts');
  });

  it('handles compiled .js frames, and does not rely on node_modules to spot user code', () => {
    const trace = stack(
      `${SRC}/decorators/resource.ts:10:5`,
      '__decorate (/srv/app/dist/services/db.js:5:95)',
      'Object.<anonymous> (/srv/app/dist/services/db.js:20:1)',
    );
    expect(callerFile(0, trace)).toBe('/srv/app/dist/services/db.js');
  });

  it('counts consecutive frames of one file once; depth 1 is the file that called into it', () => {
    const trace = stack(
      `${SRC}/decorators/minion.ts:30:20`,
      '__decorate (/proj/lib/make.ts:3:1)',
      'makeMinion (/proj/lib/make.ts:9:1)',
      'Object.<anonymous> (/proj/app/main.ts:4:1)',
    );
    expect(callerFile(0, trace)).toBe('/proj/lib/make.ts');
    expect(callerFile(1, trace)).toBe('/proj/app/main.ts');
    expect(callerFile(2, trace)).toBeUndefined();
  });

  it('reads file:// URLs, paths with spaces and parentheses, and skips eval/anonymous frames', () => {
    expect(callerFile(0, stack('new Feed (file:///proj/app/feed.mjs:1:2)'))).toBe('/proj/app/feed.mjs');
    expect(callerFile(0, stack('fn (/proj/my app (v2)/x.ts:1:2)'))).toBe('/proj/my app (v2)/x.ts');
    expect(callerFile(0, stack('/proj/my app (v2)/y.ts:1:2'))).toBe('/proj/my app (v2)/y.ts');
    expect(
      callerFile(0, stack('eval (eval at run (/proj/x.js:1:1), <anonymous>:1:1)', 'Array.forEach (<anonymous>)', 'async Promise.all (index 0)')),
    ).toBeUndefined();
  });

  it('returns undefined for an empty or missing trace', () => {
    expect(callerFile(0, 'Error')).toBeUndefined();
  });

  it('captures the live stack: called from here, it finds this test file (ts-jest .ts frames)', () => {
    expect(callerFile()).toBe(__filename);
  });

  it('finds the file of a legacy decorator applied through reflect-metadata', () => {
    let seen: string | undefined;
    const mark = (): ClassDecorator => () => {
      seen = callerFile();
    };
    @mark()
    class Decorated {}
    expect(Decorated).toBeDefined();
    expect(seen).toBe(__filename);
  });

  it('works when Error.stackTraceLimit is small', () => {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 1;
    try {
      expect(callerFile()).toBe(__filename);
      expect(Error.stackTraceLimit).toBe(1);
    } finally {
      Error.stackTraceLimit = limit;
    }
  });
});
