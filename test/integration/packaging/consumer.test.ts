/**
 * The package as a user gets it: `npm pack` of this repository (built by `npm test`'s pretest),
 * installed from the tarball into fresh projects, one CommonJS (`moduleResolution: node10`) and
 * one ESM (`"type": "module"`, `module: nodenext`), each with the tsconfig `tsc --init` writes
 * plus `experimentalDecorators`/`emitDecoratorMetadata`. In each: a minion and the README's
 * example compile with `tsc`, and a jest suite (ts-jest) runs the minion with
 * `minions/testing`'s `runMinion`.
 *
 * Slow (minutes): the install builds better-sqlite3's native SQLite from source when its
 * prebuilt binary cannot be downloaded. Both projects live under one directory with one
 * `node_modules`, installed once, so the native build runs once.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../../..');
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version: string }> };
/** The versions this repository uses, so that npm's cache serves them. */
const ours = (name: string): string => `${name}@${lock.packages[`node_modules/${name}`].version}`;
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Run { code: number; stdout: string; stderr: string }

function run(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function ok(file: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const r = await run(file, args, cwd, env);
  if (r.code !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} (in ${cwd}) exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function write(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/** The README's TypeScript example, verbatim. */
function readmeExample(): string {
  const match = /```ts\n([\s\S]*?)```/.exec(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  if (!match) throw new Error('README.md has no ```ts block');
  return match[1];
}

/** `tsc --init`'s tsconfig.json in `dir`, with `changes` applied. */
async function initTsconfig(dir: string, tsc: string, changes: Record<string, unknown>): Promise<Record<string, unknown>> {
  await ok(process.execPath, [tsc, '--init'], dir);
  const file = path.join(dir, 'tsconfig.json');
  const parsed = ts.parseConfigFileTextToJson(file, fs.readFileSync(file, 'utf8'));
  if (parsed.error) throw new Error(ts.flattenDiagnosticMessageText(parsed.error.messageText, '\n'));
  const config = parsed.config as { compilerOptions: Record<string, unknown>; include?: string[] };
  config.compilerOptions = {
    ...config.compilerOptions,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    rootDir: '.',
    outDir: 'dist',
    ...changes,
  };
  config.include = ['src', 'test'];
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return config.compilerOptions;
}

const MINION = `import { AbortWorkflow, Minion, minion, step } from 'minions';

export class Order { id = ''; amount = 0; }
export class OrderCtx { total = 0; approved = false; }

@minion({ event: Order, context: OrderCtx })
export class Approve extends Minion<Order, OrderCtx> {
  @step async total() { this.context.total = this.event.amount; }
  @step async decide() {
    if (this.context.total > 100) throw new AbortWorkflow('too big');
    this.context.approved = true;
  }
}
`;

const TEST = (from: string): string => `import { runMinion } from 'minions/testing';
import { Approve, Order } from '${from}';

describe('Approve', () => {
  it('approves small orders and aborts big ones', async () => {
    const events = [Object.assign(new Order(), { id: 'a', amount: 10 }), Object.assign(new Order(), { id: 'b', amount: 500 })];
    const result = await runMinion({ minion: Approve, events });
    const byId = new Map(result.workflows.map((w) => [(w.event as Order).id, w]));
    expect(byId.get('a')?.outcome).toBe('succeeded');
    expect(byId.get('a')?.context).toEqual({ total: 10, approved: true });
    expect(byId.get('b')?.outcome).toBe('aborted');
  });
});
`;

describe('the npm package in a fresh project', () => {
  let work: string;
  let tarball: string;
  let packed: string[];
  let tsc: string;
  let jest: string;

  beforeAll(async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist/src/index.js'))) throw new Error('dist/ is missing: run `npm run build` first (npm test does it in pretest).');
    if (!fs.existsSync(path.join(ROOT, 'docs/api/index.md'))) throw new Error('docs/api is missing: run `npm run docs` first (npm test does it in pretest, npm pack in prepack).');
    work = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'minions-consumer-')));
    // --ignore-scripts: no prepack build here; the tests around may be reading dist/.
    const pack = await ok(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', work], ROOT);
    const info = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(work, info[0].filename);
    packed = info[0].files.map((f) => f.path);

    write(work, { 'package.json': '{ "name": "consumers", "private": true }\n' });
    await ok(NPM, ['install', tarball, ours('typescript'), ours('jest'), ours('ts-jest'), ours('@types/jest'), ours('@types/node'),
      ours('reflect-metadata'), '--no-audit', '--no-fund', '--prefer-offline'], work);
    tsc = path.join(work, 'node_modules/typescript/bin/tsc');
    jest = path.join(work, 'node_modules/jest/bin/jest.js');
  }, 30 * 60_000);

  afterAll(() => {
    if (work && !process.env.MINIONS_KEEP_CONSUMER) fs.rmSync(work, { recursive: true, force: true });
  });

  it('packs the runtime, its docs and nothing of the repository\'s tests, samples or benchmarks', () => {
    expect(packed).toContain('dist/src/index.js');
    expect(packed).toContain('dist/src/testing/index.d.ts');
    expect(packed).toContain('README.md');
    expect(packed.filter((f) => f.startsWith('docs/')).length).toBeGreaterThan(5);
    expect(packed.filter((f) => /(^|\/)(test|samples|bench|scripts|fixtures)\//.test(f) || /\.test\.(js|d\.ts|ts)$/.test(f))).toEqual([]);
  });

  it('refers to no file the package does not hold (README and docs links, source maps)', () => {
    const dir = path.join(work, 'node_modules/minions');
    const missing: string[] = [];
    for (const file of packed.filter((f) => f.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of text.matchAll(/\]\(([^)\s#]+)(#[^)]*)?\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/.test(target)) continue;
        if (!fs.existsSync(path.resolve(path.dirname(path.join(dir, file)), target))) missing.push(`${file}: ${target}`);
      }
    }
    for (const file of packed.filter((f) => f.endsWith('.js') || f.endsWith('.d.ts'))) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      for (const m of text.matchAll(/(?:\.\.\/)+(?:samples|bench|test|design|scripts)\/[\w./-]+/g)) missing.push(`${file}: ${m[0]}`);
    }
    // Source maps carry their sources (src/ does not ship).
    for (const file of packed.filter((f) => f.endsWith('.js.map'))) {
      const map = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { sources: string[]; sourcesContent?: unknown[] };
      if (map.sourcesContent?.length !== map.sources.length) missing.push(`${file}: ${map.sources.join(', ')}`);
    }
    expect(missing).toEqual([]);
  });

  it('CommonJS, moduleResolution node10: compiles a minion and the README example, runs a jest suite with minions/testing', async () => {
    const dir = path.join(work, 'cjs');
    write(dir, {
      'package.json': '{ "name": "consumer-cjs", "private": true }\n',
      'src/approve.ts': MINION,
      'src/readme.ts': readmeExample(),
      'test/approve.test.ts': TEST('../src/approve'),
      'jest.config.js': "module.exports = { preset: 'ts-jest', testEnvironment: 'node', setupFiles: ['reflect-metadata'], roots: ['<rootDir>/test'] };\n",
    });
    await initTsconfig(dir, tsc, { module: 'commonjs', moduleResolution: 'node10', verbatimModuleSyntax: false, types: ['node', 'jest'] });
    await ok(process.execPath, [tsc, '-p', '.'], dir);
    expect(fs.existsSync(path.join(dir, 'dist/src/approve.js'))).toBe(true);
    const r = await ok(process.execPath, [jest, '--ci'], dir);
    expect(r.stderr).toMatch(/Tests:\s+1 passed, 1 total/);

    // The native SQLite driver was installed (built from source when no prebuilt binary is
    // reachable), and the default store opens a file with it.
    write(dir, { 'sqlite-check.js': [
      "require('reflect-metadata');",
      "const { SqliteStateStore } = require('minions');",
      "const store = new SqliteStateStore({ path: 'check.db' });",
      "Promise.resolve(store.startup?.()).then(() => store.getAllContexts()).then((all) => { console.log('contexts', all.length); return store.shutdown?.(); })",
      '  .catch((e) => { console.error(e); process.exit(1); });',
      '',
    ].join('\n') });
    expect((await ok(process.execPath, ['sqlite-check.js'], dir)).stdout).toContain('contexts 0');

    // The bin of the installed package; `doctor` and `stamp` parse sources with typescript.
    const bin = path.join(work, 'node_modules/minions/dist/src/cli/main.js');
    const doctor = await run(process.execPath, [bin, 'doctor', 'ids', 'src'], dir);
    expect(doctor.stdout).toContain('src/approve.ts:6: missing-component-id');
    expect(doctor.code).toBe(1);
    // typescript is an optional peer dependency: without it, the commands that need it say so.
    const installed = path.join(work, 'node_modules/typescript');
    fs.renameSync(installed, `${installed}.away`);
    try {
      const stamp = await run(process.execPath, [bin, 'stamp', 'ids', 'src', '--dry-run'], dir);
      expect({ code: stamp.code, stderr: stamp.stderr }).toEqual({ code: 1, stderr: 'minions: stamp needs the typescript package: npm install -D typescript\n' });
      expect((await run(process.execPath, [bin, '--version'], dir)).code).toBe(0);
    } finally {
      fs.renameSync(`${installed}.away`, installed);
    }
  }, 10 * 60_000);

  it('ESM ("type": "module", module nodenext): compiles a minion and the README example, runs a jest suite with minions/testing', async () => {
    const dir = path.join(work, 'esm');
    write(dir, {
      'package.json': '{ "name": "consumer-esm", "private": true, "type": "module" }\n',
      'src/approve.ts': MINION,
      'src/readme.ts': readmeExample(),
      'test/approve.test.ts': TEST('../src/approve.js'),
      'jest.config.js': [
        'export default {',
        "  preset: 'ts-jest/presets/default-esm',",
        "  testEnvironment: 'node',",
        "  setupFiles: ['reflect-metadata'],",
        "  roots: ['<rootDir>/test'],",
        "  moduleNameMapper: { '^(\\\\.{1,2}/.*)\\\\.js$': '$1' },",
        '};',
        '',
      ].join('\n'),
    });
    await initTsconfig(dir, tsc, { types: ['node', 'jest'] });
    await ok(process.execPath, [tsc, '-p', '.'], dir);
    expect(fs.existsSync(path.join(dir, 'dist/src/approve.js'))).toBe(true);
    const r = await ok(process.execPath, ['--experimental-vm-modules', jest, '--ci'], dir);
    expect(r.stderr).toMatch(/Tests:\s+1 passed, 1 total/);
  }, 10 * 60_000);
});
