import type { Kysely } from 'kysely';
import type { CommitVerdicts, Verdict } from './verdict-writer';

interface AlertsTable {
  idx: number;
  date: string;
  origin: string;
  origin_name: string | null;
  destination: string;
  destination_name: string | null;
  delay: number;
  distance: number;
}
interface VerdictsTable { idx: number; verdict: Verdict; }
interface RunParametersTable { key: string; value: string; }

/** The sample's tables, as Kysely sees them. */
export interface AlertsDb { alerts: AlertsTable; verdicts: VerdictsTable; run_parameters: RunParametersTable; }

/** An opened alert database: Kysely for the schema and the reads, and the commit of a batch of verdicts. */
export interface OpenedAlerts {
  db: Kysely<AlertsDb>;
  commit: CommitVerdicts;
}

/**
 * Where the sample's tables live, and how to reach them: `alerts.db` in the data directory
 * (SQLite, the default) or a schema of a PostgreSQL database that several processes share
 * (`--state postgres://...`). The alert log and the entry point see only this class; the
 * settings' container module binds the one the command line chose.
 */
export abstract class AlertsStore {
  /** What messages name: the file, or the server, database and schema. */
  abstract readonly where: string;
  /** What to do to start over elsewhere, for messages. */
  abstract readonly startOver: string;

  /** Opens it for writing, creating the tables when missing. @throws an error naming {@link where}. */
  abstract open(): Promise<OpenedAlerts>;

  /** Opens it for reading when its tables exist; `undefined` when they do not. @throws an error naming {@link where}. */
  abstract openExisting(): Promise<Kysely<AlertsDb> | undefined>;

  /** The error to report for a failure on it: a message naming it and what to do, the failure as `cause`. */
  abstract failure(error: unknown): Error;
}

/** Creates the three tables when missing; `float` is the dialect's type for delay and distance. */
export async function createTables(db: Kysely<AlertsDb>, float: 'real' | 'double precision'): Promise<void> {
  await db.schema.createTable('alerts').ifNotExists()
    .addColumn('idx', 'integer', (c) => c.primaryKey())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('origin_name', 'text')
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('destination_name', 'text')
    .addColumn('delay', float, (c) => c.notNull())
    .addColumn('distance', float, (c) => c.notNull())
    .execute();
  await db.schema.createTable('verdicts').ifNotExists()
    .addColumn('idx', 'integer', (c) => c.primaryKey())
    .addColumn('verdict', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('run_parameters').ifNotExists()
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
