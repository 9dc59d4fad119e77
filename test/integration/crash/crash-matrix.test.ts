import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { spawnNode, waitFor } from '../../support/spawn-node';

// Built by `npm test`'s pretest step (tsconfig.build.json includes test/fixtures).
const WORKER = path.resolve(__dirname, '../../../dist/test/fixtures/crash-worker.js');

/** Runs the worker until it writes `hang`, then SIGKILLs it. */
async function runUntilHangAndKill(db: string, log: string, boundary: string): Promise<void> {
  const worker = spawnNode(WORKER, [db, log, boundary], process.cwd());
  try {
    await waitFor(() => /^hang$/m.test(worker.stdout()), worker);
  } finally {
    worker.child.kill('SIGKILL');
  }
  expect(await worker.exited).toBe('SIGKILL');
}

function count(log: string, line: string): number {
  return fs.readFileSync(log, 'utf8').split('\n').filter((l) => l === line).length;
}

function rows(db: string): number {
  const conn = new Database(db, { readonly: true });
  try { return (conn.prepare('SELECT count(*) AS n FROM workflows').get() as { n: number }).n; } finally { conn.close(); }
}

// REFERENCE P-17: where the process dies, and how often each step has run once a restart finished.
const MATRIX: Array<[string, { first: number; second: number }]> = [
  ['before-first-checkpoint', { first: 0, second: 0 }],
  ['during-step', { first: 2, second: 1 }],
  ['between-steps', { first: 1, second: 1 }],
  ['before-delete', { first: 1, second: 2 }],
  ['after-delete', { first: 1, second: 1 }],
];

describe('SEMANTICS 5: crash matrix with real processes, SIGKILL and SQLite (REFERENCE P-17)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-crash-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(MATRIX)('killed %s: after a restart each step ran the expected number of times and no checkpoint remains', async (boundary, expected) => {
    const db = path.join(dir, `${boundary}.db`);
    const log = path.join(dir, `${boundary}.log`);
    await runUntilHangAndKill(db, log, boundary);
    const restart = spawnSync(process.execPath, [WORKER, db, log, 'resume'], { encoding: 'utf8', timeout: 60_000 });
    expect(restart.stderr).toBe('');
    expect(restart.status).toBe(0);
    expect(count(log, 'exit')).toBe(1);
    expect({ first: count(log, 'first'), second: count(log, 'second') }).toEqual(expected);
    expect(rows(db)).toBe(0);
  });
});
