import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

/** The repository root (cwd of the spawned samples). */
export const ROOT = resolve(__dirname, '../../../..');
/** The compiled entry point, built by `npm test`'s pretest (`npm run build`). */
export const MAIN = join(ROOT, 'dist/samples/flight-delays/main.js');

/** A spawned sample process with its output collected. */
export interface SampleProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code, or the signal name when killed by one. */
  exited: Promise<number | NodeJS.Signals>;
}

/** Spawns `node dist/samples/flight-delays/main.js ...args`. */
export function startSample(args: string[]): SampleProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does it in pretest).`);
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { err += s; });
  const exited = new Promise<number | NodeJS.Signals>((done, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) => done(code ?? signal!));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
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

/** Polls until `done()` holds; rejects with `why()` if `exited` settles first. */
export async function waitUntil(done: () => boolean, exited: Promise<unknown>, why: () => string): Promise<void> {
  let over = false;
  void exited.then(() => { over = true; });
  while (!done()) {
    if (over) throw new Error(`the sample exited before the awaited point: ${why()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
