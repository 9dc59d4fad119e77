import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteStateStore, StateStoreLockedError } from 'minions';
import { spawnNode, waitFor, type Spawned } from '../../support/spawn-node';

// Built by `npm test`'s pretest step (tsconfig.build.json includes test/fixtures).
const HOLDER = resolve(__dirname, '../../../dist/test/fixtures/store-holder.js');

/** `node store-holder.js <db> <mode> [busyTimeoutMs]`. */
function holder(db: string, mode: 'gru' | 'store', busyTimeoutMs?: number): Spawned {
  return spawnNode(HOLDER, [db, mode, ...(busyTimeoutMs === undefined ? [] : [String(busyTimeoutMs)])], process.cwd());
}

/** The `failed {...}` line of a holder that could not open its store. */
function failure(p: Spawned): Record<string, unknown> {
  const line = p.stdout().split('\n').find((l) => l.startsWith('failed '));
  if (line === undefined) throw new Error(`no failure reported\nstdout:\n${p.stdout()}\nstderr:\n${p.stderr()}`);
  return JSON.parse(line.slice('failed '.length)) as Record<string, unknown>;
}

const ownerOf = (db: string): Record<string, unknown> => JSON.parse(readFileSync(`${db}-owner`, 'utf8')) as Record<string, unknown>;

describe('one live process per SQLite state file (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minions-lock-'));
  const running: Spawned[] = [];
  const track = (p: Spawned): Spawned => { running.push(p); return p; };
  afterEach(() => { for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL'); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a second process fails at Gru.create naming the file, the holder pid and host; after a SIGKILL of the holder a third opens it', async () => {
    const db = join(dir, 'shared.db');
    const first = track(holder(db, 'gru'));
    await waitFor(() => first.stdout().includes('held'), first);
    expect(ownerOf(db)).toMatchObject({ pid: first.child.pid, host: hostname(), file: db });

    const second = track(holder(db, 'gru', 100));
    expect(await second.exited).toBe(1);
    expect(failure(second)).toEqual({
      name: 'StateStoreLockedError', code: 'MINIONS_STATE_STORE_LOCKED', file: db, holderPid: first.child.pid, holderHost: hostname(),
      message: `State store ${db} is held by process ${first.child.pid} on ${hostname()}. Stop that process, ` +
        'or give this Gru a store of its own (another path).',
    });
    expect(ownerOf(db)).toMatchObject({ pid: first.child.pid }); // the loser changed nothing

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    expect(ownerOf(db)).toMatchObject({ pid: first.child.pid }); // stale: it names a dead process, and blocks nobody

    const third = track(holder(db, 'store', 100));
    await waitFor(() => third.stdout().includes('held'), third);
    expect(ownerOf(db)).toMatchObject({ pid: third.child.pid, host: hostname() });
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(third.stdout()).toContain('released');
    expect(existsSync(`${db}-owner`)).toBe(false); // removed at a clean shutdown
  });

  it('a store waits up to busyTimeoutMs for a holder that is letting go', async () => {
    const db = join(dir, 'handover.db');
    const first = track(holder(db, 'store'));
    await waitFor(() => first.stdout().includes('held'), first);
    const second = track(holder(db, 'store', 60_000));
    first.child.kill('SIGTERM');
    await waitFor(() => second.stdout().includes('held'), second);
    expect(await first.exited).toBe(0);
    expect(ownerOf(db)).toMatchObject({ pid: second.child.pid });
  });
});

describe('one live store per state file (in one process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'minions-lock-in-process-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a second store on the same file fails with StateStoreLockedError naming this process; it may start once the first is shut down', async () => {
    const db = join(dir, 'one.db');
    const first = new SqliteStateStore({ path: db });
    await first.startup();
    const second = new SqliteStateStore({ path: db, busyTimeoutMs: 0 });
    const e = await second.startup().catch((err: unknown) => err) as StateStoreLockedError;
    expect(e).toBeInstanceOf(StateStoreLockedError);
    expect(e).toMatchObject({ file: db, holderPid: process.pid, holderHost: hostname(), retryable: false });
    expect(first.fileAtStartup).toBe('missing');
    await first.saveContext('wf', 'o', Uint8Array.of(7)); // the holder is unaffected
    await first.shutdown();
    await second.startup();
    expect((await second.getAllContexts()).map((r) => r.workflowId)).toEqual(['wf']);
    await second.shutdown();
  });

  it('an owner file that cannot be read names no holder: the lock is what refuses', async () => {
    const db = join(dir, 'garbled.db');
    const first = new SqliteStateStore({ path: db });
    await first.startup();
    try {
      writeFileSync(`${db}-owner`, '{not json');
      const e = await new SqliteStateStore({ path: db, busyTimeoutMs: 0 }).startup().catch((err: unknown) => err) as StateStoreLockedError;
      expect(e).toBeInstanceOf(StateStoreLockedError);
      expect(e).toMatchObject({ file: db, holderPid: undefined, holderHost: undefined });
      expect(e.message).toBe(`State store ${db} is held by another process. Stop that process, or give this Gru a store of its own (another path).`);
    } finally {
      await first.shutdown();
    }
  });

  it('a stale owner file (a dead process, or garbage) does not stop a store from opening, and is replaced', async () => {
    const db = join(dir, 'stale.db');
    writeFileSync(`${db}-owner`, JSON.stringify({ pid: 999_999_999, host: hostname(), file: db }));
    const store = new SqliteStateStore({ path: db, busyTimeoutMs: 0 });
    await store.startup();
    expect(ownerOf(db)).toMatchObject({ pid: process.pid, host: hostname(), file: db, startedAt: expect.any(String) });
    await store.shutdown();
    expect(existsSync(`${db}-owner`)).toBe(false);
  });
});
