import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

/** Row of the `workflows` table (after `0001_workflows`), for Kysely's query builder. */
export interface WorkflowsTable {
  workflow_id: string;
  orchestration_id: string;
  context: Uint8Array;
}

/** The tables of the current schema, for `Kysely<SqliteSchema>`. */
export interface SqliteSchema {
  workflows: WorkflowsTable;
}

/**
 * The schema of {@link SqliteStateStore}, as Kysely migrations kept in code (no migration
 * folder to ship or locate at run time). Kysely's `Migrator` records each applied name in the
 * `kysely_migration` table, so a later release appends a migration here and every existing
 * database file is brought forward on its next `startup()`.
 *
 * Names sort in application order (`0001_...`, `0002_...`). Never edit or rename a released one.
 *
 * Internal to `src/infra`; not part of the public API.
 */
export class SqliteMigrationProvider implements MigrationProvider {
  /** Every migration by name. */
  static readonly migrations: Readonly<Record<string, Migration>> = {
    /**
     * `workflows(workflow_id TEXT PRIMARY KEY, orchestration_id TEXT NOT NULL, context BLOB NOT NULL)`
     * and `idx_workflows_orchestration_id`. `IF NOT EXISTS`, so a file created by hand with the
     * same schema is adopted rather than refused.
     */
    '0001_workflows': {
      async up(db: Kysely<any>): Promise<void> {
        await db.schema
          .createTable('workflows')
          .ifNotExists()
          .addColumn('workflow_id', 'text', (col) => col.primaryKey())
          .addColumn('orchestration_id', 'text', (col) => col.notNull())
          .addColumn('context', 'blob', (col) => col.notNull())
          .execute();
        await db.schema
          .createIndex('idx_workflows_orchestration_id')
          .ifNotExists()
          .on('workflows')
          .column('orchestration_id')
          .execute();
      },
      async down(db: Kysely<any>): Promise<void> {
        await sql`DROP INDEX IF EXISTS idx_workflows_orchestration_id`.execute(db);
        await db.schema.dropTable('workflows').ifExists().execute();
      },
    },
  };

  async getMigrations(): Promise<Record<string, Migration>> {
    return { ...SqliteMigrationProvider.migrations };
  }
}
