import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';

// Built by `npm test`'s pretest step (tsconfig.build.json includes test/fixtures).
const WORKER = path.resolve(__dirname, '../../../dist/test/fixtures/signal-worker.js');

describe('API.md GruOptions.handleSignals', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-signals-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(['SIGTERM', 'SIGINT'] as const)('%s shuts the Gru down and the process exits 0 on its own, the store closed cleanly', async (signal) => {
    const db = path.join(dir, `${signal}.db`);
    const child = spawn(process.execPath, [WORKER, db], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { err += c; });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    while (!out.includes('ready')) {
      if (child.exitCode !== null) throw new Error(`worker exited early: ${err}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    await new Promise((r) => setTimeout(r, 100));
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(out).toContain('exit 0');
    expect(err).toBe('');
    // A clean close checkpoints the WAL and removes it: the store was shut down, not cut off.
    expect(fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : 0).toBe(0);
    const conn = new Database(db, { readonly: true });
    conn.close();
  });
});
