import * as ts from 'typescript';
import * as minions from 'minions';
import { InvalidComponentError } from 'minions';

/**
 * Compiles `source` the way a project without `experimentalDecorators` does (TypeScript 5's
 * standard TC39 decorators, target ES2022) and runs it with `minions` resolved to this package.
 */
function runStandard(source: string): unknown {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, experimentalDecorators: false },
  });
  expect(outputText).toContain('__esDecorate'); // really the standard decorator emit
  const load = (id: string): unknown => (id === 'minions' ? minions : require(id));
  const module = { exports: {} };
  try {
    new Function('require', 'module', 'exports', outputText)(load, module, module.exports);
  } catch (error) {
    return error;
  }
  throw new Error('expected the compiled module to throw');
}

function expectRefused(error: unknown, decorator: string, name: string): void {
  expect(error).toBeInstanceOf(InvalidComponentError);
  const message = (error as Error).message;
  expect(message).toContain(decorator);
  expect(message).toContain(name);
  expect(message).toContain('experimentalDecorators');
  expect(message).toContain('emitDecoratorMetadata');
}

const PRELUDE = `
import { Minion, Pipeline, Resource, minion, pipeline, resource, step, untracked } from 'minions';
class Ev { n = 0; }
class Ctx { n = 0; }
`;

describe('a standard (TC39) decorator call is refused with a message naming the compiler options', () => {
  it('@minion on a class compiled without experimentalDecorators', () => {
    const error = runStandard(`${PRELUDE}
      @minion({ event: Ev, context: Ctx })
      export class Watcher extends Minion<Ev, Ctx> {}`);
    expectRefused(error, '@minion', 'Watcher');
  });

  it('@pipeline on a class compiled without experimentalDecorators', () => {
    const error = runStandard(`${PRELUDE}
      @pipeline({ event: Ev })
      export class Feed extends Pipeline<Ev> { async produceEvent() { return new Ev(); } }`);
    expectRefused(error, '@pipeline', 'Feed');
  });

  it('@resource on a class compiled without experimentalDecorators', () => {
    const error = runStandard(`${PRELUDE}
      @resource()
      export class Cache extends Resource {}`);
    expectRefused(error, '@resource', 'Cache');
  });

  it('@step and @step() on a method compiled without experimentalDecorators', () => {
    expectRefused(runStandard(`${PRELUDE}
      export class Watcher extends Minion<Ev, Ctx> { @step async score() {} }`), '@step', 'score');
    expectRefused(runStandard(`${PRELUDE}
      export class Watcher extends Minion<Ev, Ctx> { @step() async score() {} }`), '@step', 'score');
  });

  it('@untracked on a method compiled without experimentalDecorators', () => {
    const error = runStandard(`${PRELUDE}
      export class Cache extends Resource { @untracked async ping() {} }`);
    expectRefused(error, '@untracked', 'ping');
  });
});
