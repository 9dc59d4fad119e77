import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStateStore } from '../../../src/infra/sqlite-state-store';
import { runStateStoreContract } from '../../../src/testing/state-store-contract';

const tempDirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'minions-sqlite-'));
  tempDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

runStateStoreContract('SqliteStateStore', () => new SqliteStateStore({ path: join(tempDir(), 'state.db') }));

describe('SqliteStateStore on a real file', () => {
  let path: string;
  let store: SqliteStateStore;
  /** Independent connections opened by a test, closed after it. */
  const others: Database.Database[] = [];
  const otherConnection = (): Database.Database => {
    const db = new Database(path);
    others.push(db);
    return db;
  };

  beforeEach(async () => {
    path = join(tempDir(), 'nested', 'dir', 'state.db');
    store = new SqliteStateStore({ path });
    await store.startup();
  });

  afterEach(async () => {
    await store.shutdown();
    for (const db of others.splice(0)) if (db.open) db.close();
  });

  it('creates the parent directories and the file at startup', () => {
    expect(existsSync(path)).toBe(true);
    expect(store.path).toBe(path);
  });

  it('sets WAL journal mode and creates the schema through the kysely migration', () => {
    const db = otherConnection();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const migrations = db.prepare('SELECT name FROM kysely_migration').all() as Array<{ name: string }>;
    expect(migrations.map((m) => m.name)).toEqual(['0001_workflows']);
    const objects = db.prepare("SELECT type, name FROM sqlite_master WHERE tbl_name = 'workflows' ORDER BY name").all();
    expect(objects).toEqual(expect.arrayContaining([
      { type: 'table', name: 'workflows' },
      { type: 'index', name: 'idx_workflows_orchestration_id' },
    ]));
    const columns = db.prepare("SELECT name, type, [notnull], pk FROM pragma_table_info('workflows')").all();
    expect(columns).toEqual([
      { name: 'workflow_id', type: 'TEXT', notnull: 0, pk: 1 },
      { name: 'orchestration_id', type: 'TEXT', notnull: 1, pk: 0 },
      { name: 'context', type: 'BLOB', notnull: 1, pk: 0 },
    ]);
  });

  it('makes a save durable before it resolves: another connection sees it at once', async () => {
    await store.saveContext('wf-1', 'o', Uint8Array.of(4, 5));
    const row = otherConnection().prepare('SELECT * FROM workflows').get() as { context: Buffer };
    expect(row).toMatchObject({ workflow_id: 'wf-1', orchestration_id: 'o' });
    expect([...row.context]).toEqual([4, 5]);
  });

  it('keeps rows when the file is reopened, without migrating twice', async () => {
    await store.saveContext('wf-1', 'o', Uint8Array.of(1));
    await store.shutdown();
    const reopened = new SqliteStateStore({ path });
    await reopened.startup();
    try {
      expect((await reopened.getAllContexts()).map((r) => r.workflowId)).toEqual(['wf-1']);
      expect(otherConnection().prepare('SELECT count(*) AS n FROM kysely_migration').get()).toEqual({ n: 1 });
    } finally {
      await reopened.shutdown();
    }
  });

  it('commits many saves issued in one turn as one transaction', async () => {
    const before = store.stats.committedBatches;
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.saveContext(`wf-${i}`, 'o', Uint8Array.of(i))));
    expect(store.stats.committedBatches - before).toBe(1);
    expect(store.stats.committedWrites).toBe(50);
    expect(store.stats.pendingWrites).toBe(0);
  });

  it('splits a turn into transactions of maxBatchSize writes', async () => {
    const small = new SqliteStateStore({ path: join(tempDir(), 'small.db'), maxBatchSize: 64 });
    await small.startup();
    try {
      await Promise.all(Array.from({ length: 200 }, (_, i) => small.saveContext(`wf-${i}`, 'o', Uint8Array.of(1))));
      expect(small.stats).toMatchObject({ committedBatches: 4, committedWrites: 200, failedBatches: 0 });
      expect(await small.getAllContexts()).toHaveLength(200);
    } finally {
      await small.shutdown();
    }
  });

  it('rejects every call of a batch whose transaction cannot begin (file locked by another writer)', async () => {
    const impatient = new SqliteStateStore({ path: join(tempDir(), 'locked.db'), busyTimeoutMs: 20 });
    await impatient.startup();
    const locker = new Database(impatient.path);
    others.push(locker);
    try {
      await impatient.saveContext('kept', 'o', Uint8Array.of(1));
      locker.exec('BEGIN IMMEDIATE');
      const calls = [
        impatient.saveContext('a', 'o', Uint8Array.of(1)),
        impatient.deleteContext('kept'),
        impatient.saveContext('b', 'o', Uint8Array.of(2)),
      ];
      const results = await Promise.allSettled(calls);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      const reasons = results.map((r) => (r as PromiseRejectedResult).reason as { code?: string });
      expect(reasons[0]?.code).toBe('SQLITE_BUSY');
      expect(new Set(reasons).size).toBe(1); // the same error for every call
      expect(impatient.stats.failedBatches).toBe(1);

      locker.exec('ROLLBACK');
      await impatient.saveContext('after', 'o', Uint8Array.of(3)); // the store recovers
      expect((await impatient.getAllContexts()).map((r) => r.workflowId).sort()).toEqual(['after', 'kept']);
    } finally {
      await impatient.shutdown();
    }
  });

  it('rolls back a batch that fails half way: no write of it persists', async () => {
    await store.saveContext('before', 'o', Uint8Array.of(1));
    otherConnection().exec(`CREATE TRIGGER refuse_poison BEFORE INSERT ON workflows
      WHEN NEW.workflow_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`);
    const results = await Promise.allSettled([
      store.saveContext('ok-1', 'o', Uint8Array.of(1)),
      store.deleteContext('before'),
      store.saveContext('poison', 'o', Uint8Array.of(2)),
      store.saveContext('ok-2', 'o', Uint8Array.of(3)),
    ]);
    expect(results.every((r) => r.status === 'rejected' && /poisoned row/.test(String(r.reason)))).toBe(true);
    expect((await store.getAllContexts()).map((r) => r.workflowId)).toEqual(['before']);
    await store.saveContext('ok-3', 'o', Uint8Array.of(4)); // later batches are unaffected
    expect(await store.getAllContexts()).toHaveLength(2);
  });

  it('gives one failing batch no effect on the next batch of the same turn', async () => {
    const tiny = new SqliteStateStore({ path: join(tempDir(), 'tiny.db'), maxBatchSize: 2 });
    await tiny.startup();
    const conn = new Database(tiny.path);
    others.push(conn);
    conn.exec(`CREATE TRIGGER refuse_poison BEFORE INSERT ON workflows
      WHEN NEW.workflow_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`);
    try {
      const results = await Promise.allSettled([
        tiny.saveContext('a', 'o', Uint8Array.of(1)),
        tiny.saveContext('poison', 'o', Uint8Array.of(1)),
        tiny.saveContext('b', 'o', Uint8Array.of(1)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
      expect((await tiny.getAllContexts()).map((r) => r.workflowId)).toEqual(['b']);
    } finally {
      await tiny.shutdown();
    }
  });

  it('commits pending writes at shutdown before closing', async () => {
    const save = store.saveContext('late', 'o', Uint8Array.of(9));
    await store.shutdown();
    await expect(save).resolves.toBeUndefined();
    expect(otherConnection().prepare('SELECT workflow_id FROM workflows').all()).toEqual([{ workflow_id: 'late' }]);
  });

  it('refuses use before startup and after shutdown, with a clear error', async () => {
    const fresh = new SqliteStateStore({ path: join(tempDir(), 'fresh.db') });
    await expect(fresh.saveContext('wf', 'o', Uint8Array.of(1))).rejects.toMatchObject({ code: 'MINIONS_STATE_STORE_CLOSED' });
    await expect(fresh.getAllContexts()).rejects.toThrow(/not started/);
    await store.shutdown();
    await store.shutdown(); // idempotent
    await expect(store.saveContext('wf', 'o', Uint8Array.of(1))).rejects.toThrow(/after shutdown\(\)/);
    await expect(store.getContextsForOrchestration('o')).rejects.toMatchObject({ code: 'MINIONS_STATE_STORE_CLOSED' });
    await expect(store.startup()).rejects.toThrow(/create a new SqliteStateStore/);
  });

  it('rejects a failed startup, stays unusable, and may be started again once the cause is gone', async () => {
    const dir = tempDir();
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file where a directory should be');
    const blocked = new SqliteStateStore({ path: join(blocker, 'state.db') });
    await expect(blocked.startup()).rejects.toMatchObject({ code: expect.stringMatching(/ENOTDIR|EEXIST/) });
    await expect(blocked.saveContext('wf', 'o', Uint8Array.of(1))).rejects.toThrow(/before startup\(\) completed/);
    rmSync(blocker);
    await blocked.startup();
    await blocked.saveContext('wf', 'o', Uint8Array.of(1));
    expect(await blocked.getAllContexts()).toHaveLength(1);
    await blocked.shutdown();
  });

  it('refuses invalid options and invalid arguments', async () => {
    expect(() => new SqliteStateStore({ maxBatchSize: 0 })).toThrow(/maxBatchSize/);
    expect(() => new SqliteStateStore({ busyTimeoutMs: -1 })).toThrow(/busyTimeoutMs/);
    expect(() => new SqliteStateStore({ path: '' })).toThrow(/path/);
    await expect(store.saveContext('wf', 'o', null as unknown as Uint8Array)).rejects.toMatchObject({ name: 'InvalidArgumentError', code: 'MINIONS_INVALID_ARGUMENT' });
    expect(store.stats.failedBatches).toBe(0); // a bad argument never poisons other callers' batch
  });

  it('defaults to minions.db', () => {
    const defaults = new SqliteStateStore();
    expect(defaults.path).toBe('minions.db');
    expect(defaults.maxBatchSize).toBe(64);
    expect(defaults.busyTimeoutMs).toBe(3000);
  });
});
