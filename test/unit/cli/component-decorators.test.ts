import { findComponentDecorators } from '../../../src/cli/ids/component-decorators';
import { stampSourceIds } from '../../../src/cli/ids/stamp-source';

const ids = (): (() => string) => {
  let n = 0;
  return () => `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`;
};
const ID = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('minions stamp ids / doctor ids: finding component decorators with the TypeScript parser', () => {
  it('finds decorators imported by name, by alias and through a namespace; ignores others', () => {
    const text = [
      "import { minion as m, pipeline, resource } from 'minions';",
      "import * as M from 'minions';",
      "import { resource as other } from './elsewhere';",
      "const FEED_ID = '11111111-1111-4111-8111-111111111111';",
      '@m({ event: E, context: C, id: "22222222-2222-4222-8222-222222222222" }) class A {}',
      '@pipeline({ event: E, id: FEED_ID }) class B {}',
      '@M.resource() class R {}',
      '@other({ id }) class O {}',
      '@unrelated({}) class U {}',
      'export const X = class Named { };',
    ].join('\n');
    const sites = findComponentDecorators('a.ts', text);
    expect(sites.map(({ kind, className, line, id }) => ({ kind, className, line, id }))).toEqual([
      { kind: 'minion', className: 'A', line: 5, id: { state: 'present', value: '22222222-2222-4222-8222-222222222222', line: 5 } },
      { kind: 'pipeline', className: 'B', line: 6, id: { state: 'present', value: '11111111-1111-4111-8111-111111111111', line: 4 } },
      { kind: 'resource', className: 'R', line: 7, id: { state: 'missing' } },
      { kind: 'resource', className: 'O', line: 8, id: { state: 'unverifiable', reason: expect.stringContaining('neither a string literal') } },
    ]);
  });

  it('says what it cannot settle: options that are not a literal, or that spread', () => {
    const text = "import { pipeline } from 'minions';\n@pipeline(OPTIONS) class A {}\n@pipeline({ ...base, event: E }) class B {}\n";
    expect(findComponentDecorators('a.ts', text).map((s) => s.id)).toEqual([
      { state: 'unverifiable', reason: 'the decorator options are not an object literal' },
      { state: 'unverifiable', reason: 'the options use a spread, which may hold an id' },
    ]);
  });
});

describe('stampSourceIds: adds `id` in the layout of the surrounding code, nothing else changes', () => {
  const stamp = (text: string): string => stampSourceIds('a.ts', text, ids()).text;

  it.each([
    ['no arguments', "import { resource } from 'minions';\n@resource()\nclass R {}\n", `import { resource } from 'minions';\n@resource({ id: '${ID(0)}' })\nclass R {}\n`],
    ['empty options', "import { resource } from 'minions';\n@resource({})\nclass R {}\n", `import { resource } from 'minions';\n@resource({ id: '${ID(0)}' })\nclass R {}\n`],
    ['one line', "import { pipeline } from 'minions';\n@pipeline({ event: E })\nclass P {}\n", `import { pipeline } from 'minions';\n@pipeline({ event: E, id: '${ID(0)}' })\nclass P {}\n`],
    ['one line, trailing comma', "import { pipeline } from 'minions';\n@pipeline({ event: E, })\nclass P {}\n", `import { pipeline } from 'minions';\n@pipeline({ event: E, id: '${ID(0)}', })\nclass P {}\n`],
    ['double quotes', 'import { pipeline } from "minions";\n@pipeline({ event: E })\nclass P {}\n', `import { pipeline } from "minions";\n@pipeline({ event: E, id: "${ID(0)}" })\nclass P {}\n`],
  ])('%s', (_name, before, after) => expect(stamp(before)).toBe(after));

  it('one property per line: a new line at the same indentation, after a comment ending the last line', () => {
    const before = "import { minion } from 'minions';\n@minion({\n    event: E,\n    context: C // the context\n})\nclass M {}\n";
    expect(stamp(before)).toBe(`import { minion } from 'minions';\n@minion({\n    event: E,\n    context: C, // the context\n    id: '${ID(0)}'\n})\nclass M {}\n`);
    const trailing = "import { minion } from 'minions';\n@minion({\n  event: E,\n  context: C,\n})\nclass M {}\n";
    expect(stamp(trailing)).toBe(`import { minion } from 'minions';\n@minion({\n  event: E,\n  context: C,\n  id: '${ID(0)}',\n})\nclass M {}\n`);
  });

  it('keeps CRLF line endings, and stamps every decorator of the file (also classes inside functions)', () => {
    const before = "import { minion, resource } from 'minions';\r\n@minion({\r\n  event: E,\r\n  context: C,\r\n})\r\nclass M {}\r\nfunction f() { @resource() class R {} return R; }\r\n";
    const result = stampSourceIds('a.ts', before, ids());
    expect(result.text).toBe(`import { minion, resource } from 'minions';\r\n@minion({\r\n  event: E,\r\n  context: C,\r\n  id: '${ID(0)}',\r\n})\r\nclass M {}\r\nfunction f() { @resource({ id: '${ID(1)}' }) class R {} return R; }\r\n`);
    expect(result.stamped).toEqual([
      { kind: 'minion', className: 'M', line: 2, id: ID(0) },
      { kind: 'resource', className: 'R', line: 7, id: ID(1) },
    ]);
  });

  it('leaves decorators with an id (valid or not) and those it cannot settle alone', () => {
    const text = "import { minion, pipeline } from 'minions';\n@minion({ event: E, context: C, id: 'BAD' }) class M {}\n@pipeline(OPTS) class P {}\n";
    const result = stampSourceIds('a.ts', text, ids());
    expect(result.text).toBe(text);
    expect(result.stamped).toEqual([]);
    expect(result.unverifiable).toEqual([{ kind: 'pipeline', className: 'P', line: 3, reason: 'the decorator options are not an object literal' }]);
  });

  it('makes canonical UUID v4 ids by default', () => {
    const { stamped } = stampSourceIds('a.ts', "import { resource } from 'minions';\n@resource() class R {}\n");
    expect(stamped[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
