import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { spawnNode, waitFor } from '../../support/spawn-node';

// Built by `npm test`'s pretest step (tsconfig.build.json includes test/fixtures).
const WORKER = path.resolve(__dirname, '../../../dist/test/fixtures/signal-worker.js');

describe('API.md GruOptions.handleSignals', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-signals-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(['SIGTERM', 'SIGINT'] as const)('%s shuts the Gru down and the process exits 0 on its own, the store closed cleanly', async (signal) => {
    const db = path.join(dir, `${signal}.db`);
    const worker = spawnNode(WORKER, [db], process.cwd());
    // ready: the exit handler is set; working: workflows are running and checkpointing
    await waitFor(() => worker.stdout().includes('ready') && worker.stdout().includes('working'), worker);
    worker.child.kill(signal);
    expect(await worker.exited).toBe(0);
    expect(worker.stdout()).toContain('exit 0');
    expect(worker.stderr()).toBe('');
    // A clean close checkpoints the WAL and removes it: the store was shut down, not cut off.
    expect(fs.existsSync(`${db}-wal`) ? fs.statSync(`${db}-wal`).size : 0).toBe(0);
    const conn = new Database(db, { readonly: true });
    conn.close();
  });
});
