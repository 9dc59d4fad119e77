import { CliError } from '../../../src/cli/cli-error';

/** `typescript` is an optional peer dependency: only `stamp` and `doctor` load it, on first use. */
describe('loadTypeScript', () => {
  const load = (): typeof import('../../../src/cli/ids/typescript') => {
    let mod!: typeof import('../../../src/cli/ids/typescript');
    jest.isolateModules(() => {
      mod = require('../../../src/cli/ids/typescript');
    });
    return mod;
  };
  const notFound = (): never => {
    throw Object.assign(new Error("Cannot find module 'typescript'\nRequire stack:\n- x.js"), { code: 'MODULE_NOT_FOUND' });
  };

  it('without the package, fails with exit 1 and says which command needs it and how to install it', () => {
    const { loadTypeScript } = load();
    let error: unknown;
    try {
      loadTypeScript('stamp', notFound);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(1);
    expect((error as CliError).message).toBe('stamp needs the typescript package: npm install -D typescript');
    expect(() => load().loadTypeScript('doctor', notFound)).toThrow('doctor needs the typescript package: npm install -D typescript');
  });

  it('passes on other errors, such as a missing module inside typescript', () => {
    const inner = Object.assign(new Error("Cannot find module './lib/other'"), { code: 'MODULE_NOT_FOUND' });
    expect(() => load().loadTypeScript('stamp', () => { throw inner; })).toThrow(inner);
  });

  it('loads the package once and keeps it', () => {
    const { loadTypeScript } = load();
    const ts = loadTypeScript();
    expect(typeof ts.createSourceFile).toBe('function');
    expect(loadTypeScript('stamp', notFound)).toBe(ts);
  });
});
