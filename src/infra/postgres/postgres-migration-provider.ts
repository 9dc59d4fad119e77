import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Where the checkpoints live: a table, in a schema or on the connection's `search_path`. */
export interface PostgresTableName {
  /** Schema, or `undefined` for the first schema of the `search_path` (normally `public`). */
  schema: string | undefined;
  /** Table name. */
  table: string;
}

/**
 * The schema of {@link PostgresStateStore}, as Kysely migrations kept in code. Kysely's
 * `Migrator` records each applied name in `<table>_migration` (beside the table, so two stores
 * with different tables in one schema keep separate histories) and serializes concurrent
 * migrators with an advisory lock, so several processes starting together
 * migrate once.
 *
 * Names sort in application order (`0001_...`, `0002_...`). Never edit or rename a released one.
 *
 * Internal to `src/infra`; not part of the public API.
 */
export class PostgresMigrationProvider implements MigrationProvider {
  constructor(private readonly name: PostgresTableName) {}

  /** Every migration by name, for the table `name`. */
  static migrations(name: PostgresTableName): Record<string, Migration> {
    const table = name.schema === undefined ? sql.id(name.table) : sql.id(name.schema, name.table);
    const index = sql.id(`${name.table}_orchestration_idx`);
    const executors = executorsTable(name);
    return {
      /**
       * `<table>(workflow_id text PRIMARY KEY, orchestration_id text NOT NULL, context bytea NOT NULL,
       * seq bigint identity)` and an index on `(orchestration_id, seq)`: reads by orchestration,
       * and the newest row of each for the summaries. `IF NOT EXISTS`: a table made by hand with
       * the same shape is adopted.
       */
      '0001_workflows': {
        async up(db: Kysely<any>): Promise<void> {
          if (name.schema !== undefined) await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(name.schema)}`.execute(db);
          await sql`CREATE TABLE IF NOT EXISTS ${table} (
            workflow_id text PRIMARY KEY,
            orchestration_id text NOT NULL,
            context bytea NOT NULL,
            seq bigint GENERATED ALWAYS AS IDENTITY
          )`.execute(db);
          await sql`CREATE INDEX IF NOT EXISTS ${index} ON ${table} (orchestration_id, seq)`.execute(db);
        },
        async down(db: Kysely<any>): Promise<void> {
          await sql`DROP TABLE IF EXISTS ${table}`.execute(db);
        },
      },
      /**
       * Ownership: `<table>.owner` (the executor id of the process that saved the row last or
       * claimed it; NULL for rows saved before) and `<table>_executors(executor_id PRIMARY KEY,
       * host, pid, started_at, heartbeat_at)`, one lease row per live process.
       */
      '0002_owners': {
        async up(db: Kysely<any>): Promise<void> {
          await sql`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS owner text`.execute(db);
          await sql`CREATE TABLE IF NOT EXISTS ${executors} (
            executor_id text PRIMARY KEY,
            host text NOT NULL,
            pid integer NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            heartbeat_at timestamptz NOT NULL DEFAULT now()
          )`.execute(db);
        },
        async down(db: Kysely<any>): Promise<void> {
          await sql`DROP TABLE IF EXISTS ${executors}`.execute(db);
          await sql`ALTER TABLE ${table} DROP COLUMN IF EXISTS owner`.execute(db);
        },
      },
    };
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    return PostgresMigrationProvider.migrations(this.name);
  }
}

/** `<table>_executors`, the lease rows of the processes sharing the table. */
export function executorsTable(name: PostgresTableName) {
  const executors = `${name.table}_executors`;
  return name.schema === undefined ? sql.id(executors) : sql.id(name.schema, executors);
}
