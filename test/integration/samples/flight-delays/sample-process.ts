import { spawnNode, type Spawned } from '../../../support/spawn-node';
import { existsSync, mkdirSync, watch } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { NODE_FLAGS } from '../../../../samples/flight-delays/node-flags';

/** The repository root (cwd of the spawned samples). */
export const ROOT = resolve(__dirname, '../../../..');
/** The compiled entry point, built by `npm test`'s pretest (`npm run build`). */
export const MAIN = join(ROOT, 'dist/samples/flight-delays/main.js');

/** A spawned sample process with its output collected. */
export type SampleProcess = Spawned;

/** Spawns `node <NODE_FLAGS> dist/samples/flight-delays/main.js ...args`, as `npm start` does. */
export function startSample(args: string[]): SampleProcess {
  return spawnNode(MAIN, args, ROOT, {}, NODE_FLAGS);
}

/** Runs the sample to its end. */
export async function runSample(args: string[]): Promise<{ code: number | NodeJS.Signals; stdout: string; stderr: string }> {
  const p = startSample(args);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** The last non-empty stdout line, parsed as JSON (`--json`). */
export function lastJsonLine(stdout: string): Record<string, unknown> {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

/** Rows of a table in a SQLite file, read on a fresh read-only connection (0 while the file or table is missing). */
export function countRows(dbPath: string, table: string): number {
  if (!existsSync(dbPath)) return 0;
  let db: Database.Database | undefined;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true });
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } catch (e) {
    if (/no such table|SQLITE_CANTOPEN|SQLITE_BUSY/.test(String((e as Error).message) + String((e as { code?: string }).code))) return 0;
    throw e;
  } finally {
    db?.close();
  }
}

/**
 * Waits until `done()` holds, checking it whenever the sample writes output or a file of `dir`
 * changes (its SQLite files), never on a timer; rejects with `why()` if the sample exits first.
 */
export async function waitUntil(done: () => boolean, sample: SampleProcess, why: () => string, dir?: string): Promise<void> {
  if (done()) return;
  await new Promise<void>((resolve, reject) => {
    if (dir !== undefined) mkdirSync(dir, { recursive: true }); // the sample may not have made it yet
    const watcher = dir === undefined ? undefined : watch(dir, () => check());
    const cleanup = (): void => {
      watcher?.close();
      sample.child.stdout?.off('data', check);
      sample.child.stderr?.off('data', check);
    };
    function check(): void {
      if (done()) { cleanup(); resolve(); }
    }
    sample.child.stdout?.on('data', check);
    sample.child.stderr?.on('data', check);
    void sample.exited.then(() => {
      if (done()) { cleanup(); resolve(); return; }
      cleanup();
      reject(new Error(`the sample exited before the awaited point: ${why()}`));
    });
  });
}

/** Resolves at the next change of a file in `dir` (the sample's SQLite writes), or when the sample exits. */
export function nextChange(dir: string, sample: SampleProcess): Promise<void> {
  mkdirSync(dir, { recursive: true });
  return new Promise((resolve) => {
    const watcher = watch(dir, () => { watcher.close(); resolve(); });
    void sample.exited.then(() => { watcher.close(); resolve(); });
  });
}
