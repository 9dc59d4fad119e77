/**
 * Runs the real built `minions` binary (dist/src/cli/main.js, built by `npm test`'s pretest)
 * on fixture projects in temporary directories.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { spawnNode, type Spawned } from '../../support/spawn-node';

export { spawnNode, waitFor, type Spawned } from '../../support/spawn-node';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '../../..');
/** The compiled binary. */
export const BIN = path.join(ROOT, 'dist/src/cli/main.js');

/** Spawns the binary: `minions ...args`. */
export function startCli(args: string[], cwd: string, env: Record<string, string> = {}): Spawned {
  return spawnNode(BIN, args, cwd, env);
}

/** Runs the binary to its end. */
export async function runCli(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | NodeJS.Signals; stdout: string; stderr: string }> {
  const p = startCli(args, cwd, env);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** A temporary project directory whose `node_modules/minions` links to this repository. */
export function makeProject(prefix = 'minions-cli-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  fs.mkdirSync(path.join(dir, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(dir, 'node_modules', 'minions'), 'dir');
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'reflect-metadata'), path.join(dir, 'node_modules', 'reflect-metadata'), 'dir');
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "name": "fixture", "private": true }\n');
  return dir;
}

/** Writes `files` (relative path -> text) under `dir`, creating folders. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
}

/**
 * Compiles TypeScript sources of `dir` (relative paths) to `.js` files beside them, as tsc would
 * with the project's decorator settings (legacy decorators with metadata, CommonJS, ES2022).
 */
export function compile(dir: string, sources: string[]): void {
  for (const source of sources) {
    const file = path.join(dir, source);
    const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true,
        esModuleInterop: true, useDefineForClassFields: true,
      },
    });
    fs.writeFileSync(file.replace(/\.ts$/, '.js'), out.outputText);
  }
}

/** Removes a fixture directory. */
export function removeProject(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
