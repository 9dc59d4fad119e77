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
  /**
   * A store started on `file` after `sql` ran on it (the store holds its file exclusively while it
   * is open, so a trigger is installed between two of its lives).
   */
  const storeWith = async (file: string, sql: string, options: { maxBatchSize?: number } = {}): Promise<SqliteStateStore> => {
    const first = new SqliteStateStore({ path: file });
    await first.startup();
    await first.shutdown();
    const db = new Database(file);
    try { db.exec(sql); } finally { db.close(); }
    const store = new SqliteStateStore({ path: file, ...options });
    await store.startup();
    return store;
  };
  const POISON_TRIGGER = `CREATE TRIGGER refuse_poison BEFORE INSERT ON workflows
      WHEN NEW.workflow_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`;

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

  it('sets WAL journal mode and creates the schema through the kysely migration', async () => {
    await store.shutdown();
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

  it('holds its file while open: another connection can neither read nor write it; the saves are there after shutdown', async () => {
    await store.saveContext('wf-1', 'o', Uint8Array.of(4, 5));
    const other = new Database(path, { timeout: 0 });
    others.push(other);
    expect(() => other.prepare('SELECT * FROM workflows').all()).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    expect(() => other.exec('BEGIN IMMEDIATE')).toThrow(expect.objectContaining({ code: 'SQLITE_BUSY' }));
    await store.saveContext('wf-2', 'o', Uint8Array.of(6)); // the store itself is unaffected
    await store.shutdown();
    const rows = other.prepare('SELECT * FROM workflows ORDER BY workflow_id').all() as Array<{ workflow_id: string; context: Buffer }>;
    expect(rows.map((r) => [r.workflow_id, [...r.context]])).toEqual([['wf-1', [4, 5]], ['wf-2', [6]]]);
  });

  it('keeps rows when the file is reopened, without migrating twice', async () => {
    await store.saveContext('wf-1', 'o', Uint8Array.of(1));
    await store.shutdown();
    const reopened = new SqliteStateStore({ path });
    await reopened.startup();
    try {
      expect((await reopened.getAllContexts()).map((r) => r.workflowId)).toEqual(['wf-1']);
    } finally {
      await reopened.shutdown();
    }
    expect(otherConnection().prepare('SELECT count(*) AS n FROM kysely_migration').get()).toEqual({ n: 1 });
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

  it('rejects every call of a failed batch with the same error, counts it, and recovers', async () => {
    const refusing = await storeWith(join(tempDir(), 'refusing.db'), `CREATE TRIGGER refuse_a BEFORE INSERT ON workflows
      WHEN NEW.workflow_id = 'a' BEGIN SELECT RAISE(ABORT, 'refused a'); END`);
    try {
      await refusing.saveContext('kept', 'o', Uint8Array.of(1));
      const results = await Promise.allSettled([
        refusing.saveContext('a', 'o', Uint8Array.of(1)),
        refusing.deleteContext('kept'),
        refusing.saveContext('b', 'o', Uint8Array.of(2)),
      ]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      const reasons = results.map((r) => (r as PromiseRejectedResult).reason as { code?: string; message?: string });
      expect(reasons[0]).toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER', message: 'refused a' });
      expect(new Set(reasons).size).toBe(1); // the same error for every call
      expect(refusing.stats.failedBatches).toBe(1);

      await refusing.saveContext('after', 'o', Uint8Array.of(3)); // the store recovers
      expect((await refusing.getAllContexts()).map((r) => r.workflowId).sort()).toEqual(['after', 'kept']);
    } finally {
      await refusing.shutdown();
    }
  });

  it('rolls back a batch that fails half way: no write of it persists', async () => {
    await store.saveContext('before', 'o', Uint8Array.of(1));
    await store.shutdown();
    store = await storeWith(path, POISON_TRIGGER);
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
    const tiny = await storeWith(join(tempDir(), 'tiny.db'), POISON_TRIGGER, { maxBatchSize: 2 });
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
    await expect(blocked.startup()).rejects.toMatchObject({
      code: 'MINIONS_STATE_STORE_OPEN', problem: 'not-a-directory', file: join(blocker, 'state.db'), sqliteCode: expect.stringMatching(/ENOTDIR|EEXIST/),
    });
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
