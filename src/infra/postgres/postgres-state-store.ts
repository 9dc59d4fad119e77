import { Kysely, Migrator, PostgresDialect, sql, type RawBuilder } from 'kysely';
import { hostname } from 'node:os';
import type { Pool, PoolConfig } from 'pg';
import { InvalidArgumentError, InvalidOptionError, MinionsError, StateStoreClosedError, type StateStoreServer } from '../../core/errors';
import { StateStore, type ContextClaim, type OrchestrationSummary, type StoredContext } from '../../core/ports/state-store';
import { describeError, StderrReporter } from '../stderr-reporter';
import { loadPg } from './load-pg';
import { describeServer, postgresFailure } from './postgres-failure';
import { executorsTable, PostgresMigrationProvider } from './postgres-migration-provider';

/** Options of {@link PostgresStateStore}. Give `url`, `pool`, or both (the url's parts then win). */
export interface PostgresStateStoreOptions {
  /**
   * Connection URL, `postgres://user:password@host:port/database` (with `?sslmode=...` and the
   * other parameters `pg` reads). Without `url` and without connection fields in `pool`, `pg`
   * reads the libpq environment (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`).
   */
  url?: string;
  /**
   * Options of the `pg.Pool` the store opens (host, port, database, user, password, ssl, `max`
   * connections (default 10), timeouts...). `connectionTimeoutMillis` defaults to 10,000 here
   * (`pg`'s own default waits forever).
   */
  pool?: PoolConfig;
  /**
   * Schema of the table, created at the first start if missing. Default: none, so the table
   * goes to the first schema of the user's `search_path` (normally `public`).
   */
  schema?: string;
  /**
   * Table of the checkpoints. Default `'minions_workflows'`. Its migration history is kept in
   * `<table>_migration` and `<table>_migration_lock`, beside it.
   */
  table?: string;
  /**
   * Most writes (saves + deletes) committed in one transaction. Integer ≥ 1; default 128.
   */
  maxBatchSize?: number;
  /**
   * How long a process counts as alive after its last heartbeat, in milliseconds: past it, other
   * processes may take over its workflows when they start an orchestration. The store renews its
   * own every third of it. Integer ≥ 1000; default 30,000.
   */
  leaseMs?: number;
}

/** Counters of the group-commit engine of {@link PostgresStateStore}, since construction. */
export interface PostgresStateStoreStats {
  /** Transactions committed. */
  committedBatches: number;
  /** Saves and deletes applied by committed transactions. */
  committedWrites: number;
  /** Transactions that failed; every call in them was rejected. */
  failedBatches: number;
  /** Writes accepted and not yet committed nor failed. */
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

// 48 at most, so that `<table>_migration_lock` and `<table>_executors` fit PostgreSQL's 63.
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]{0,47}$/;

/**
 * A {@link StateStore} on a PostgreSQL server, which **several processes share**: start every
 * Gru of a deployment with the same url and table and each sees the others' checkpoints. It
 * takes no lock of its own (unlike {@link SqliteStateStore}, which holds its file alone).
 *
 * Uses kysely's PostgresDialect over `pg` (node-postgres), which minions does not install: add
 * it to your project (`npm install pg`). It is loaded at `startup()`, so importing minions never
 * needs it.
 *
 * **Table.** `<schema>.<table>` (default `minions_workflows` on the `search_path`):
 * `workflow_id text PRIMARY KEY, orchestration_id text, context bytea, seq bigint identity, owner text`,
 * indexed on `(orchestration_id, seq)`. Created and upgraded at `startup()` by Kysely migrations
 * recorded in `<table>_migration`; concurrent starts migrate once (an advisory lock). The user
 * needs CREATE on the schema for the first start, then SELECT, INSERT, UPDATE, DELETE on the table.
 *
 * **Group commit.** `saveContext`/`deleteContext` queue their write and return a promise. The
 * queue is committed once per event-loop turn, or at once when it holds `maxBatchSize` writes, as
 * ONE transaction (at most one in flight per store: writes made meanwhile form the next one).
 * Writes of a batch take effect in call order (save-then-delete of one id removes the row;
 * delete-then-save keeps the last blob). Every promise resolves only after its own transaction
 * committed; if it fails, every call in it rejects with the `pg` error (the runtime retries them).
 * Blobs are copied when the call is made.
 *
 * **Reads** wait for every write issued before them, so they see them; they also see what other
 * processes committed.
 *
 * **Ownership.** `Gru.create` attaches its executor id ({@link PostgresStateStore.attachExecutor}):
 * every checkpoint saved from then on records it as its `owner`, and a row of `<table>_executors`,
 * renewed every `leaseMs / 3`, says the process is alive (removed at `shutdown()`). When an
 * orchestration starts, {@link PostgresStateStore.claimContextsForOrchestration} hands the runtime
 * the workflows this process owns and takes over those whose owner is gone (no heartbeat for
 * `leaseMs`, or stopped), each to one process (`FOR UPDATE SKIP LOCKED`); workflows of live
 * processes are left to them. There is no fencing: a process that stalls longer than `leaseMs`
 * and then goes on may run a step of a workflow another process took over.
 *
 * **Errors.** A server it cannot use fails `startup()` with `StateStoreOpenError` naming host,
 * port, database, user and table, what is wrong (`problem`: `unreachable`, `timeout`,
 * `auth-failed`, `no-database`, `permission-denied`, `driver-missing`, `cannot-open`) and what to do.
 *
 * Lifecycle: `startup()` once, `shutdown()` once (idempotent; commits what is pending, then ends
 * the pool). Calls before `startup()` or after `shutdown()` reject with `StateStoreClosedError`.
 */
export class PostgresStateStore extends StateStore {
  /** Table, schema-qualified when a schema was given. */
  readonly table: string;
  /** Writes per transaction at most. */
  readonly maxBatchSize: number;
  /** Lease of a process after its last heartbeat, milliseconds. */
  readonly leaseMs: number;

  private readonly schemaName: string | undefined;
  private readonly tableName: string;
  private readonly poolConfig: PoolConfig;
  private target: StateStoreServer;
  private state: State = 'new';
  private startPromise: Promise<void> | null = null;
  private shutdownPromise: Promise<void> | null = null;
  private db: Kysely<any> | null = null;
  private pending: PendingWrite[] = [];
  private flushTimer: NodeJS.Immediate | null = null;
  private inFlight: Promise<void> | null = null;
  private inFlightCount = 0;
  /** Settles (never rejects) once the most recently issued write committed or failed. */
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly counters = { committedBatches: 0, committedWrites: 0, failedBatches: 0 };
  private owner: string | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  /** Failed heartbeats go to stderr, one line a minute at most (the store has no logger). */
  private readonly reporter = new StderrReporter('[PostgresStateStore]');

  /**
   * Checks the options; connects nothing (that is `startup()`).
   * @throws InvalidOptionError (`MINIONS_INVALID_OPTION`) for an empty `url`, a `schema` or
   *   `table` that is not a plain identifier (letters, digits, `_`, `$`; up to 48), a
   *   `maxBatchSize` that is not an integer ≥ 1, or a `leaseMs` that is not an integer ≥ 1000.
   */
  constructor(options: PostgresStateStoreOptions = {}) {
    super();
    if (options.url !== undefined && (typeof options.url !== 'string' || options.url.length === 0)) {
      throw new InvalidOptionError('PostgresStateStoreOptions.url', options.url, 'a postgres:// URL');
    }
    this.tableName = options.table ?? 'minions_workflows';
    if (typeof this.tableName !== 'string' || !IDENTIFIER.test(this.tableName)) {
      throw new InvalidOptionError('PostgresStateStoreOptions.table', options.table, 'a plain identifier (letters, digits, _ and $, at most 48)');
    }
    this.schemaName = options.schema;
    if (this.schemaName !== undefined && (typeof this.schemaName !== 'string' || !IDENTIFIER.test(this.schemaName))) {
      throw new InvalidOptionError('PostgresStateStoreOptions.schema', options.schema, 'a plain identifier (letters, digits, _ and $, at most 48)');
    }
    this.maxBatchSize = options.maxBatchSize ?? 128;
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1) {
      throw new InvalidOptionError('PostgresStateStoreOptions.maxBatchSize', options.maxBatchSize, 'an integer >= 1');
    }
    this.leaseMs = options.leaseMs ?? 30_000;
    if (!Number.isInteger(this.leaseMs) || this.leaseMs < 1000) {
      throw new InvalidOptionError('PostgresStateStoreOptions.leaseMs', options.leaseMs, 'an integer >= 1000');
    }
    this.table = this.schemaName === undefined ? this.tableName : `${this.schemaName}.${this.tableName}`;
    this.poolConfig = {
      connectionTimeoutMillis: 10_000,
      ...options.pool,
      ...(options.url === undefined ? {} : { connectionString: options.url }),
    };
    this.target = serverOf(this.poolConfig, this.table);
  }

  /**
   * Host, port, database, user and table the store connects to, as errors name them (no
   * password). Read from the options and the `PG*` environment once `pg` is loaded (at `startup()`).
   */
  get server(): StateStoreServer {
    return { ...this.target };
  }

  /** Counters of the write engine (batches committed and failed, writes pending). */
  get stats(): PostgresStateStoreStats {
    return { ...this.counters, pendingWrites: this.pending.length + this.inFlightCount };
  }

  /**
   * Loads `pg`, opens the pool, checks that the server answers and the user logs in, runs the
   * pending migrations and checks the table's privileges. Idempotent while open; after a failure
   * everything is closed again and `startup()` may be called again.
   * @throws StateStoreOpenError (`MINIONS_STATE_STORE_OPEN`) naming host, port, database, user
   *   and table: `pg` missing, server unreachable or silent, login refused, no such database,
   *   missing privileges.
   * @throws StateStoreClosedError (`MINIONS_STATE_STORE_CLOSED`) after `shutdown()`.
   */
  override startup(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') {
      return Promise.reject(this.closedError('startup() after shutdown()', 'A closed store cannot be reopened: create a new PostgresStateStore.'));
    }
    if (this.startPromise === null) {
      const attempt = this.open();
      this.startPromise = attempt;
      attempt.catch(() => {
        if (this.startPromise === attempt) this.startPromise = null;
      });
    }
    return this.startPromise;
  }

  /** Commits pending writes, then ends the pool. Idempotent; concurrent calls share one attempt. */
  override shutdown(): Promise<void> {
    this.shutdownPromise ??= this.close();
    return this.shutdownPromise;
  }

  /**
   * Upserts the checkpoint of `workflowId`. Resolves once the transaction holding it committed.
   * @throws the `pg` error of a failed transaction (every call in that batch gets it);
   *   InvalidArgumentError for a non-string id or a blob that is not a `Uint8Array`;
   *   StateStoreClosedError (`MINIONS_STATE_STORE_CLOSED`) when not started or shut down.
   */
  saveContext(workflowId: string, orchestrationId: string, blob: Uint8Array): Promise<void> {
    if (typeof workflowId !== 'string' || typeof orchestrationId !== 'string') {
      return Promise.reject(new InvalidArgumentError('PostgresStateStore.saveContext: workflowId and orchestrationId must be strings'));
    }
    if (!(blob instanceof Uint8Array)) {
      return Promise.reject(new InvalidArgumentError(`PostgresStateStore.saveContext: blob must be a Uint8Array (a Buffer is one), got ${blob === null ? 'null' : typeof blob}`));
    }
    return this.enqueue(workflowId, orchestrationId, Buffer.from(blob));
  }

  /**
   * Deletes the checkpoint of `workflowId`; a missing id is a no-op. Resolves once committed.
   * @throws as {@link PostgresStateStore.saveContext}.
   */
  deleteContext(workflowId: string): Promise<void> {
    if (typeof workflowId !== 'string') {
      return Promise.reject(new InvalidArgumentError('PostgresStateStore.deleteContext: workflowId must be a string'));
    }
    return this.enqueue(workflowId, null, null);
  }

  /**
   * Every checkpoint of one orchestration, after this store's earlier writes. `context` is a `Buffer`.
   * @throws StateStoreClosedError when not started or shut down; the `pg` error of a failed query.
   */
  async getContextsForOrchestration(orchestrationId: string): Promise<StoredContext[]> {
    const db = await this.readable('getContextsForOrchestration');
    const { rows } = await sql<Row>`SELECT workflow_id, orchestration_id, context FROM ${this.tableRef()}
      WHERE orchestration_id = ${orchestrationId}`.execute(db);
    return rows.map(toStoredContext);
  }

  /**
   * Every checkpoint in the table, after this store's earlier writes. `context` is a `Buffer`.
   * @throws as {@link PostgresStateStore.getContextsForOrchestration}.
   */
  async getAllContexts(): Promise<StoredContext[]> {
    const db = await this.readable('getAllContexts');
    const { rows } = await sql<Row>`SELECT workflow_id, orchestration_id, context FROM ${this.tableRef()}`.execute(db);
    return rows.map(toStoredContext);
  }

  /**
   * Count and most recently inserted checkpoint of each orchestration with rows, except
   * `exceptOrchestrationId`, after this store's earlier writes: two ranges of the
   * `(orchestration_id, seq)` index, so the excepted orchestration's rows cost nothing. `sample` is a `Buffer`.
   * @throws as {@link PostgresStateStore.getContextsForOrchestration}.
   */
  async summarizeOrchestrations(exceptOrchestrationId?: string): Promise<OrchestrationSummary[]> {
    const db = await this.readable('summarizeOrchestrations');
    const t = this.tableRef();
    const where: RawBuilder<unknown> = exceptOrchestrationId === undefined
      ? sql`true`
      : sql`(orchestration_id < ${exceptOrchestrationId} OR orchestration_id > ${exceptOrchestrationId})`;
    const { rows } = await sql<{ orchestration_id: string; n: number; context: Buffer }>`
      SELECT g.orchestration_id, g.n, w.context
      FROM (SELECT orchestration_id, count(*)::int AS n, max(seq) AS last FROM ${t} WHERE ${where} GROUP BY orchestration_id) AS g
      JOIN ${t} AS w ON w.orchestration_id = g.orchestration_id AND w.seq = g.last`.execute(db);
    return rows.map((r) => ({ orchestrationId: r.orchestration_id, count: r.n, sample: r.context }));
  }

  /**
   * The executor id of this process (`Gru.create` attaches it), or `undefined` before: the owner
   * recorded with every checkpoint this store saves.
   */
  get executorId(): string | undefined {
    return this.owner ?? undefined;
  }

  /**
   * Records this process as a live executor (a row of `<table>_executors`, renewed every
   * `leaseMs / 3`; removed at `shutdown()`) and `executorId` as the owner of every checkpoint saved
   * from now on. Called by `Gru.create`; once per store.
   * @throws StateStoreClosedError when not started; InvalidArgumentError when already attached;
   *   StateStoreOpenError (`MINIONS_STATE_STORE_OPEN`) naming the server when the row cannot be
   *   written (e.g. `permission-denied` on `<table>_executors`).
   */
  async attachExecutor(executorId: string): Promise<void> {
    if (typeof executorId !== 'string' || executorId.length === 0) {
      throw new InvalidArgumentError('PostgresStateStore.attachExecutor: executorId must be a non-empty string');
    }
    if (this.owner !== null) {
      throw new InvalidArgumentError(`PostgresStateStore.attachExecutor: already attached to ${this.owner}`);
    }
    const db = await this.readable('attachExecutor');
    const executors = executorsTable({ schema: this.schemaName, table: this.tableName });
    try {
      await sql`INSERT INTO ${executors} (executor_id, host, pid) VALUES (${executorId}, ${hostname()}, ${process.pid})
        ON CONFLICT (executor_id) DO UPDATE SET heartbeat_at = now()`.execute(db);
    } catch (error) {
      throw postgresFailure(this.target, 'check', error);
    }
    this.owner = executorId;
    this.heartbeat = setInterval(() => {
      const current = this.db;
      if (current === null) return;
      // A failed beat is retried at the next; past leaseMs without one, others may take over.
      sql`UPDATE ${executors} SET heartbeat_at = now() WHERE executor_id = ${executorId}`.execute(current).catch((error: unknown) => {
        this.reporter.report('heartbeat', `heartbeat of executor ${executorId} failed (retried every ${Math.floor(this.leaseMs / 3)} ms; ` +
          `past ${this.leaseMs} ms without one, other processes may take over its workflows): ${describeError(error)}`);
      });
    }, Math.floor(this.leaseMs / 3));
    this.heartbeat.unref();
  }

  /**
   * The checkpoints of `orchestrationId` this process may resume, after its earlier writes: those
   * it owns, and those whose owner has no live lease (or none recorded), which become its own in
   * the same statement. Rows another caller is claiming at that moment are skipped
   * (`FOR UPDATE SKIP LOCKED`), so each row goes to one process. Without an attached executor it
   * is {@link PostgresStateStore.getContextsForOrchestration}.
   * @throws as {@link PostgresStateStore.getContextsForOrchestration}.
   */
  async claimContextsForOrchestration(orchestrationId: string): Promise<StoredContext[]> {
    if (this.owner === null) return this.getContextsForOrchestration(orchestrationId);
    const db = await this.readable('claimContextsForOrchestration');
    const t = this.tableRef();
    const executors = executorsTable({ schema: this.schemaName, table: this.tableName });
    const me = this.owner;
    const { rows } = await sql<Row>`
      WITH claimable AS (
        SELECT w.workflow_id FROM ${t} AS w
        WHERE w.orchestration_id = ${orchestrationId}
          AND (w.owner IS NULL OR w.owner = ${me} OR NOT EXISTS (
            SELECT 1 FROM ${executors} AS e
            WHERE e.executor_id = w.owner AND e.heartbeat_at > now() - make_interval(secs => ${this.leaseMs / 1000})))
        FOR UPDATE OF w SKIP LOCKED
      )
      UPDATE ${t} AS u SET owner = ${me} FROM claimable AS c WHERE u.workflow_id = c.workflow_id
      RETURNING u.workflow_id, u.orchestration_id, u.context`.execute(db);
    return rows.map(toStoredContext);
  }

  /**
   * Claims the checkpoint of one workflow, after this store's earlier writes: `claimed` (the row,
   * now owned by this process) when this process owns it, it has no owner, or its owner has no
   * live lease; `owned` when another live process owns it; `absent` when there is no row. The
   * row is locked for the claim (`FOR UPDATE`), so of two processes claiming at once one gets it
   * and the other sees it owned. Without an attached executor a present row is always `claimed`.
   * @throws as {@link PostgresStateStore.getContextsForOrchestration}.
   */
  async claimContext(workflowId: string): Promise<ContextClaim> {
    const db = await this.readable('claimContext');
    const t = this.tableRef();
    const executors = executorsTable({ schema: this.schemaName, table: this.tableName });
    const me = this.owner;
    return db.transaction().execute(async (trx) => {
      const { rows } = await sql<Row & { owner: string | null; claimable: boolean }>`
        SELECT w.workflow_id, w.orchestration_id, w.context, w.owner,
          (${me}::text IS NULL OR w.owner IS NULL OR w.owner = ${me} OR NOT EXISTS (
            SELECT 1 FROM ${executors} AS e
            WHERE e.executor_id = w.owner AND e.heartbeat_at > now() - make_interval(secs => ${this.leaseMs / 1000}))) AS claimable
        FROM ${t} AS w WHERE w.workflow_id = ${workflowId} FOR UPDATE OF w`.execute(trx);
      const row = rows[0];
      if (row === undefined) return { status: 'absent' };
      if (!row.claimable) return { status: 'owned', owner: row.owner ?? '' };
      if (me !== null && row.owner !== me) await sql`UPDATE ${t} SET owner = ${me} WHERE workflow_id = ${workflowId}`.execute(trx);
      return { status: 'claimed', context: toStoredContext(row) };
    });
  }

  private tableRef(): RawBuilder<unknown> {
    return this.schemaName === undefined ? sql.id(this.tableName) : sql.id(this.schemaName, this.tableName);
  }

  private async open(): Promise<void> {
    this.state = 'starting';
    let db: Kysely<any> | null = null;
    let stage: 'connect' | 'migrate' | 'check' = 'connect';
    try {
      const pg = loadPg();
      // The parts pg itself resolves (url, options, PG* environment), for messages.
      const probe = new pg.Client(this.poolConfig);
      this.target = {
        host: probe.host || 'localhost', port: probe.port || 5432, database: probe.database ?? '', user: probe.user ?? '', table: this.table,
      };
      const pool: Pool = new pg.Pool(this.poolConfig);
      // An idle connection the server drops emits 'error' on the pool; unhandled, it would end the
      // process. The next query on a fresh connection reports the problem instead.
      pool.on('error', () => {});
      db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
      await sql`SELECT 1`.execute(db);

      stage = 'migrate';
      const migrator = new Migrator({
        db,
        provider: new PostgresMigrationProvider({ schema: this.schemaName, table: this.tableName }),
        migrationTableName: `${this.tableName}_migration`,
        migrationLockTableName: `${this.tableName}_migration_lock`,
        ...(this.schemaName === undefined ? {} : { migrationTableSchema: this.schemaName }),
      });
      const { error } = await migrator.migrateToLatest();
      if (error !== undefined) throw error;

      stage = 'check';
      const qualified = this.schemaName === undefined ? quoteIdent(this.tableName) : `${quoteIdent(this.schemaName)}.${quoteIdent(this.tableName)}`;
      const { rows } = await sql<{ ok: boolean }>`SELECT has_table_privilege(${qualified}, 'SELECT, INSERT, UPDATE, DELETE') AS ok`.execute(db);
      if (rows[0]?.ok !== true) {
        throw postgresFailure(this.target, 'check', { code: '42501', message: `permission denied for table ${this.table}` });
      }
      this.db = db;
      this.state = 'open';
    } catch (error) {
      this.state = 'new';
      try {
        await db?.destroy();
      } catch {
        // the startup error is the one worth reporting
      }
      throw MinionsError.is(error) ? error : postgresFailure(this.target, stage, error);
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
        this.state = 'closed';
        return;
      }
    }
    this.state = 'closing';
    this.kick();
    await this.lastWrite;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
    if (this.owner !== null && this.db !== null) {
      // Gone at once: other processes may take over what this one left, without waiting for the lease.
      const executors = executorsTable({ schema: this.schemaName, table: this.tableName });
      await sql`DELETE FROM ${executors} WHERE executor_id = ${this.owner}`.execute(this.db).catch(() => {});
    }
    const db = this.db;
    this.db = null;
    this.state = 'closed';
    await db?.destroy();
  }

  private enqueue(workflowId: string, orchestrationId: string | null, blob: Buffer | null): Promise<void> {
    if (this.state !== 'open') {
      return Promise.reject(this.closedError(this.state === 'new' || this.state === 'starting'
        ? 'write before startup() completed'
        : 'write after shutdown()'));
    }
    const done = new Promise<void>((resolvePromise, rejectPromise) => {
      this.pending.push({ workflowId, orchestrationId, blob, resolve: resolvePromise, reject: rejectPromise });
    });
    this.lastWrite = done.then(() => undefined, () => undefined);
    if (this.pending.length >= this.maxBatchSize) {
      this.kick();
    } else if (this.flushTimer === null) {
      this.flushTimer = setImmediate(() => {
        this.flushTimer = null;
        this.kick();
      });
    }
    return done;
  }

  /** Starts committing the oldest pending writes unless a transaction is already in flight (its end kicks again). */
  private kick(): void {
    if (this.flushTimer !== null) {
      clearImmediate(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.inFlight !== null || this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.maxBatchSize);
    this.inFlightCount = batch.length;
    this.inFlight = this.commit(batch).finally(() => {
      this.inFlight = null;
      this.inFlightCount = 0;
      this.kick();
    });
  }

  /** One transaction for `batch`; settles every call in it. Never rejects. */
  private async commit(batch: PendingWrite[]): Promise<void> {
    // The last write of each id decides its row: applying them in call order comes to the same.
    const last = new Map<string, PendingWrite>();
    for (const write of batch) {
      last.delete(write.workflowId);
      last.set(write.workflowId, write);
    }
    const deletes: string[] = [];
    const saves: PendingWrite[] = [];
    for (const write of last.values()) {
      if (write.blob === null) deletes.push(write.workflowId);
      else saves.push(write);
    }
    const t = this.tableRef();
    try {
      const db = this.db;
      if (db === null) throw this.closedError('the pool is closed');
      await db.transaction().execute(async (trx) => {
        if (deletes.length > 0) await sql`DELETE FROM ${t} WHERE workflow_id = ANY(${deletes}::text[])`.execute(trx);
        if (saves.length > 0) {
          const owner = this.owner;
          const values = sql.join(saves.map((w) => sql`(${w.workflowId}, ${w.orchestrationId}, ${w.blob}, ${owner})`));
          await sql`INSERT INTO ${t} (workflow_id, orchestration_id, context, owner) VALUES ${values}
            ON CONFLICT (workflow_id) DO UPDATE SET orchestration_id = excluded.orchestration_id, context = excluded.context,
              owner = excluded.owner`.execute(trx);
        }
      });
    } catch (error) {
      this.counters.failedBatches += 1;
      for (const write of batch) write.reject(error);
      return;
    }
    this.counters.committedBatches += 1;
    this.counters.committedWrites += batch.length;
    for (const write of batch) write.resolve();
  }

  private async readable(method: string): Promise<Kysely<any>> {
    if (this.state !== 'open' || this.db === null) {
      throw this.closedError(`${method}() while the store is ${this.state === 'new' || this.state === 'starting' ? 'not started' : 'closed'}`);
    }
    this.kick();
    await this.lastWrite;
    if (this.db === null) throw this.closedError(`${method}() while the store is closed`);
    return this.db;
  }

  private closedError(what: string, hint = 'Call startup() before using the store and do not use it after shutdown().'): StateStoreClosedError {
    return new StateStoreClosedError(`PostgresStateStore(${describeServer(this.target)}): ${what}. ${hint}`);
  }
}

interface Row {
  workflow_id: string;
  orchestration_id: string;
  context: Buffer;
}

function toStoredContext(row: Row): StoredContext {
  return { workflowId: row.workflow_id, orchestrationId: row.orchestration_id, context: row.context };
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Host, port, database and user from the options alone (before `pg` is loaded), for messages. */
function serverOf(config: PoolConfig, table: string): StateStoreServer {
  let fromUrl: Partial<StateStoreServer> = {};
  if (typeof config.connectionString === 'string') {
    try {
      const url = new URL(config.connectionString);
      fromUrl = {
        host: decodeURIComponent(url.hostname) || undefined,
        port: url.port === '' ? undefined : Number(url.port),
        database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
        user: decodeURIComponent(url.username) || undefined,
      };
    } catch {
      // pg reports a URL it cannot parse at startup()
    }
  }
  const env = process.env;
  const user = fromUrl.user ?? config.user ?? env.PGUSER ?? env.USER ?? '';
  return {
    host: fromUrl.host ?? config.host ?? env.PGHOST ?? 'localhost',
    port: fromUrl.port ?? config.port ?? (env.PGPORT ? Number(env.PGPORT) : 5432),
    database: fromUrl.database ?? config.database ?? env.PGDATABASE ?? user,
    user,
    table,
  };
}
