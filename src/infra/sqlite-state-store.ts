import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql, type RawBuilder } from 'kysely';
import { InvalidArgumentError, InvalidOptionError, MinionsError, StateStoreClosedError } from '../core/errors';
import { StateStore, type OrchestrationSummary, type StoredContext } from '../core/ports/state-store';
import { SqliteMigrationProvider, type SqliteSchema, type WorkflowsTable } from './sqlite-migration-provider';
import { isPlainPath, openHeldStoreFile, type StoreFileAtStartup } from './sqlite-store-file';
import { storeFileFailure } from './store-file-probe';

export type { StoreFileAtStartup } from './sqlite-store-file';

/** Options of {@link SqliteStateStore}. */
export interface SqliteStateStoreOptions {
  /**
   * Database file, absolute or relative to the working directory when the store is constructed;
   * its parent directory is created at `startup()` if missing. `':memory:'` gives a private
   * in-memory database (not durable; for experiments). Default `'minions.db'`.
   */
  path?: string;
  /**
   * Most writes (saves + deletes) committed in one transaction. When this many are pending the
   * batch is committed at once, without waiting for the end of the event-loop turn. `1` commits
   * every call in its own transaction. Integer ≥ 1; default 64.
   */
  maxBatchSize?: number;
  /**
   * How long `startup()` waits for another holder of the file (a process still shutting down)
   * to let go of it before failing with `StateStoreLockedError`, in milliseconds. The store
   * holds its file alone, so once started it never waits on anyone. Integer ≥ 0; default 3000.
   */
  busyTimeoutMs?: number;
}

/** Counters of the group-commit engine of {@link SqliteStateStore}, since construction. */
export interface SqliteStateStoreStats {
  /** Transactions committed. */
  committedBatches: number;
  /** Saves and deletes applied by committed transactions. */
  committedWrites: number;
  /** Transactions rolled back; every call in them was rejected. */
  failedBatches: number;
  /** Writes accepted and not yet committed. */
  pendingWrites: number;
}

interface PendingWrite {
  workflowId: string;
  /** `null` for a delete. */
  orchestrationId: string | null;
  blob: Buffer | null;
  resolve: () => void;
  reject: (error: unknown) => void;
}

type State = 'new' | 'starting' | 'open' | 'closing' | 'closed';

const UPSERT_SQL =
  'INSERT INTO workflows (workflow_id, orchestration_id, context) VALUES (?, ?, ?) ' +
  'ON CONFLICT(workflow_id) DO UPDATE SET orchestration_id = excluded.orchestration_id, context = excluded.context';
const DELETE_SQL = 'DELETE FROM workflows WHERE workflow_id = ?';

/**
 * The default {@link StateStore}: one SQLite file (kysely + better-sqlite3), WAL journal,
 * `synchronous=NORMAL`, schema (table `workflows`) created and upgraded by Kysely migrations.
 *
 * **One process per file.** `startup()` opens the file in SQLite's exclusive locking mode and
 * keeps its lock until `shutdown()`: an OS-level lock, which the kernel releases when the process
 * dies (a SIGKILL leaves no stale lock). Another store on the same file, in this process or
 * another, fails its `startup()` with `StateStoreLockedError` naming the file and the holder's
 * pid and host, read from `<file>-owner` (a JSON record the holder writes once it holds the lock
 * and removes at shutdown; a record left by a killed process blocks nobody). While the store is
 * open no other connection can read the file either: `minions inspect` reads it once the process
 * has stopped.
 *
 * **A file it cannot use** fails `startup()` (or a read) with `StateStoreOpenError` naming the
 * file, what is wrong (damaged, not a database, read-only, a directory, ...) and what to do; the
 * SQLite error is its `cause`. A zero-length file is a new store: {@link SqliteStateStore.fileAtStartup}
 * says `empty`, and `Gru.create` logs a warning.
 *
 * **Group commit.** `saveContext`/`deleteContext` append to a pending queue and return a promise.
 * The queue is committed once per event-loop turn (`setImmediate`), or at once when it holds
 * `maxBatchSize` writes, as ONE `BEGIN IMMEDIATE … COMMIT` transaction applying the writes in call
 * order (save-then-delete of one id removes the row; delete-then-save keeps the last blob). Every
 * promise resolves only after its own transaction committed; if the transaction fails it is rolled
 * back and every call in it rejects with the SQLite error (the runtime treats these as retryable).
 * Transactions commit in call order. Blobs are copied when the call is made, so the caller may
 * reuse its buffer at once.
 *
 * **Reads** first commit everything pending, so they see every write issued before them.
 *
 * Lifecycle: `startup()` once, `shutdown()` once (idempotent; commits what is pending, then
 * closes). Calls before `startup()` or after `shutdown()` reject with a `StateStoreClosedError` coded
 * `MINIONS_STATE_STORE_CLOSED`. A closed store cannot be started again: create a new one.
 */
export class SqliteStateStore extends StateStore {
  /** The database file as given (default `'minions.db'`). */
  readonly path: string;
  /** The database file as an absolute path (`path` itself for `':memory:'` and `file:` URIs): errors name it. */
  readonly file: string;
  /** Writes per transaction at most. */
  readonly maxBatchSize: number;
  /** SQLite busy timeout, milliseconds. */
  readonly busyTimeoutMs: number;

  private state: State = 'new';
  private startPromise: Promise<void> | null = null;
  private shutdownPromise: Promise<void> | null = null;
  private db: Kysely<SqliteSchema> | null = null;
  private releaseFile: (() => void) | null = null;
  private found: StoreFileAtStartup | undefined;
  private commitBatch: ((batch: PendingWrite[]) => void) | null = null;
  private pending: PendingWrite[] = [];
  private flushTimer: NodeJS.Immediate | null = null;
  private readonly counters = { committedBatches: 0, committedWrites: 0, failedBatches: 0 };

  /**
   * @throws InvalidOptionError (`MINIONS_INVALID_OPTION`) when `maxBatchSize` is not an integer ≥ 1,
   *   `busyTimeoutMs` not an integer ≥ 0, or `path` empty.
   */
  constructor(options: SqliteStateStoreOptions = {}) {
    super();
    this.path = options.path ?? 'minions.db';
    this.maxBatchSize = options.maxBatchSize ?? 64;
    this.busyTimeoutMs = options.busyTimeoutMs ?? 3000;
    if (typeof this.path !== 'string' || this.path.length === 0) {
      throw new InvalidOptionError('SqliteStateStoreOptions.path', options.path, 'a non-empty string');
    }
    this.file = isPlainPath(this.path) ? resolve(this.path) : this.path;
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1) {
      throw new InvalidOptionError('SqliteStateStoreOptions.maxBatchSize', options.maxBatchSize, 'an integer >= 1');
    }
    if (!Number.isInteger(this.busyTimeoutMs) || this.busyTimeoutMs < 0) {
      throw new InvalidOptionError('SqliteStateStoreOptions.busyTimeoutMs', options.busyTimeoutMs, 'an integer >= 0');
    }
  }

  /**
   * What `startup()` found at the path: `'missing'` (it created the file), `'empty'` (a zero-length
   * file, started as a new store: saved workflows it may once have held are gone, so `Gru.create`
   * logs a warning), `'database'` (an existing database). Undefined before `startup()` and for
   * `':memory:'` and `file:` URIs.
   */
  get fileAtStartup(): StoreFileAtStartup | undefined {
    return this.found;
  }

  /** Counters of the write engine (batches committed and failed, writes pending). */
  get stats(): SqliteStateStoreStats {
    return { ...this.counters, pendingWrites: this.pending.length };
  }

  /**
   * Creates the parent directory if missing, opens the file and takes its lock (waiting up to
   * `busyTimeoutMs` for another holder), records the holder in `<file>-owner`, sets the PRAGMAs
   * and runs pending migrations. Idempotent while open. On failure the file is closed again,
   * the error rethrown, and `startup()` may be called again.
   * @throws StateStoreLockedError (`MINIONS_STATE_STORE_LOCKED`) when another process (or another
   *   store in this one) holds the file.
   * @throws StateStoreOpenError (`MINIONS_STATE_STORE_OPEN`) when the file cannot be opened:
   *   damaged, not a SQLite database, read-only, a directory, a full disk.
   * @throws StateStoreClosedError (`MINIONS_STATE_STORE_CLOSED`) after `shutdown()`.
   */
  override startup(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') {
      return Promise.reject(closedError(this.path, 'startup() after shutdown()', 'A closed store cannot be reopened: create a new SqliteStateStore.'));
    }
    if (this.startPromise === null) {
      const attempt = this.open();
      this.startPromise = attempt;
      attempt.catch(() => {
        if (this.startPromise === attempt) this.startPromise = null; // a failed startup may be retried
      });
    }
    return this.startPromise;
  }

  /** Commits pending writes, then closes the file. Idempotent; concurrent calls share one attempt. */
  override shutdown(): Promise<void> {
    this.shutdownPromise ??= this.close();
    return this.shutdownPromise;
  }

  /**
   * Upserts the checkpoint of `workflowId`. Resolves once the transaction holding it committed.
   * @throws the SQLite error of a failed transaction (every call in that batch gets it);
   *   InvalidArgumentError for a non-string id or a blob that is not a `Uint8Array`;
   *   StateStoreClosedError (`MINIONS_STATE_STORE_CLOSED`) when not started or shut down.
   */
  saveContext(workflowId: string, orchestrationId: string, blob: Uint8Array): Promise<void> {
    if (typeof workflowId !== 'string' || typeof orchestrationId !== 'string') {
      return Promise.reject(new InvalidArgumentError('SqliteStateStore.saveContext: workflowId and orchestrationId must be strings'));
    }
    if (!(blob instanceof Uint8Array)) {
      return Promise.reject(new InvalidArgumentError(`SqliteStateStore.saveContext: blob must be a Uint8Array (a Buffer is one), got ${blob === null ? 'null' : typeof blob}`));
    }
    return this.enqueue(workflowId, orchestrationId, Buffer.from(blob));
  }

  /**
   * Deletes the checkpoint of `workflowId`; a missing id is a no-op. Resolves once committed.
   * @throws as {@link SqliteStateStore.saveContext}.
   */
  deleteContext(workflowId: string): Promise<void> {
    if (typeof workflowId !== 'string') {
      return Promise.reject(new InvalidArgumentError('SqliteStateStore.deleteContext: workflowId must be a string'));
    }
    return this.enqueue(workflowId, null, null);
  }

  /**
   * Every checkpoint of one orchestration, after committing pending writes. `context` is a `Buffer`.
   * @throws StateStoreClosedError (`MINIONS_STATE_STORE_CLOSED`) when not started or shut down;
   *   StateStoreOpenError (`MINIONS_STATE_STORE_OPEN`, the SQLite error as `cause`) when the file cannot be read.
   */
  async getContextsForOrchestration(orchestrationId: string): Promise<StoredContext[]> {
    const db = this.readable('getContextsForOrchestration');
    try {
      const rows = await db
        .selectFrom('workflows')
        .select(['workflow_id', 'orchestration_id', 'context'])
        .where('orchestration_id', '=', orchestrationId)
        .execute();
      return rows.map(toStoredContext);
    } catch (error) {
      throw storeFileFailure(this.file, 'read', error);
    }
  }

  /**
   * Every checkpoint in the file, after committing pending writes. `context` is a `Buffer`.
   * @throws as {@link SqliteStateStore.getContextsForOrchestration}.
   */
  async getAllContexts(): Promise<StoredContext[]> {
    const db = this.readable('getAllContexts');
    try {
      const rows = await db.selectFrom('workflows').select(['workflow_id', 'orchestration_id', 'context']).execute();
      return rows.map(toStoredContext);
    } catch (error) {
      throw storeFileFailure(this.file, 'read', error);
    }
  }

  /**
   * Count and most recently inserted checkpoint of each orchestration with rows, except
   * `exceptOrchestrationId`, after committing pending writes. Two range searches of the
   * orchestration index pass over the excepted orchestration's rows, so the cost does not grow
   * with them. `sample` is a `Buffer`.
   * @throws as {@link SqliteStateStore.getContextsForOrchestration}.
   */
  async summarizeOrchestrations(exceptOrchestrationId?: string): Promise<OrchestrationSummary[]> {
    const db = this.readable('summarizeOrchestrations');
    const groups = (where: RawBuilder<unknown>) =>
      sql`SELECT orchestration_id, count(*) AS n, max(rowid) AS last FROM workflows WHERE ${where} GROUP BY orchestration_id`;
    const except = exceptOrchestrationId;
    const grouped = except === undefined
      ? groups(sql`1`)
      : sql`${groups(sql`orchestration_id < ${except}`)} UNION ALL ${groups(sql`orchestration_id > ${except}`)}`;
    const { rows } = await sql<{ orchestration_id: string; n: number; context: Uint8Array }>`
      SELECT g.orchestration_id, g.n, w.context FROM (${grouped}) AS g JOIN workflows AS w ON w.rowid = g.last`.execute(db);
    return rows.map((r) => ({ orchestrationId: r.orchestration_id, count: r.n, sample: r.context }));
  }

  private async open(): Promise<void> {
    this.state = 'starting';
    let sqlite: Database.Database | null = null;
    let release: (() => void) | null = null;
    let db: Kysely<SqliteSchema> | null = null;
    try {
      const held = openHeldStoreFile(this.file, this.busyTimeoutMs);
      ({ sqlite, release } = held);
      db = new Kysely<SqliteSchema>({ dialect: new SqliteDialect({ database: sqlite }) });
      const migrator = new Migrator({ db, provider: new SqliteMigrationProvider() });
      const { error } = await migrator.migrateToLatest();
      if (error !== undefined) throw error;

      // The hot write path: prepared statements on the same connection, outside Kysely.
      const upsert = sqlite.prepare(UPSERT_SQL);
      const remove = sqlite.prepare(DELETE_SQL);
      const apply = sqlite.transaction((batch: PendingWrite[]) => {
        for (const write of batch) {
          if (write.blob === null) remove.run(write.workflowId);
          else upsert.run(write.workflowId, write.orchestrationId, write.blob);
        }
      });
      this.commitBatch = (batch) => apply.immediate(batch);
      this.db = db;
      this.releaseFile = release;
      this.found = held.found;
      this.state = 'open';
    } catch (error) {
      this.state = 'new';
      try {
        release?.();
        if (db !== null) await db.destroy();
        else sqlite?.close();
      } catch {
        // the startup error is the one worth reporting
      }
      throw MinionsError.is(error) ? error : storeFileFailure(this.file, 'open', error);
    }
  }

  private async close(): Promise<void> {
    if (this.state === 'new' || this.state === 'closed') {
      this.state = 'closed';
      return;
    }
    if (this.state === 'starting') {
      try {
        await this.startPromise;
      } catch {
        this.state = 'closed'; // the failed startup already closed everything
        return;
      }
    }
    this.state = 'closing';
    this.flush();
    const db = this.db;
    this.db = null;
    this.commitBatch = null;
    this.state = 'closed';
    this.releaseFile?.(); // while the lock is still held: no other holder's record can be removed
    this.releaseFile = null;
    await db?.destroy(); // closes the better-sqlite3 handle, which lets go of the lock
  }

  private enqueue(workflowId: string, orchestrationId: string | null, blob: Buffer | null): Promise<void> {
    if (this.state !== 'open') {
      return Promise.reject(closedError(this.path, this.state === 'new' || this.state === 'starting'
        ? 'write before startup() completed'
        : 'write after shutdown()'));
    }
    return new Promise<void>((resolvePromise, rejectPromise) => {
      this.pending.push({ workflowId, orchestrationId, blob, resolve: resolvePromise, reject: rejectPromise });
      if (this.pending.length >= this.maxBatchSize) {
        this.flush();
      } else if (this.flushTimer === null) {
        this.flushTimer = setImmediate(() => {
          this.flushTimer = null;
          this.flush();
        });
      }
    });
  }

  /**
   * Commits everything pending, `maxBatchSize` writes per transaction, oldest first. Synchronous
   * (better-sqlite3 is), so no other write or read can interleave with a transaction.
   */
  private flush(): void {
    if (this.flushTimer !== null) {
      clearImmediate(this.flushTimer);
      this.flushTimer = null;
    }
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatchSize);
      try {
        if (this.commitBatch === null) throw closedError(this.path, 'the database is closed');
        this.commitBatch(batch);
      } catch (error) {
        this.counters.failedBatches += 1;
        for (const write of batch) write.reject(error);
        continue;
      }
      this.counters.committedBatches += 1;
      this.counters.committedWrites += batch.length;
      for (const write of batch) write.resolve();
    }
  }

  private readable(method: string): Kysely<SqliteSchema> {
    if (this.state !== 'open' || this.db === null) {
      throw closedError(this.path, `${method}() while the store is ${this.state === 'new' ? 'not started' : 'closed'}`);
    }
    this.flush();
    return this.db;
  }
}

function toStoredContext(row: WorkflowsTable): StoredContext {
  return { workflowId: row.workflow_id, orchestrationId: row.orchestration_id, context: row.context };
}

function closedError(path: string, what: string,
  hint = 'Call startup() before using the store and do not use it after shutdown().'): StateStoreClosedError {
  return new StateStoreClosedError(`SqliteStateStore(${path}): ${what}. ${hint}`);
}
