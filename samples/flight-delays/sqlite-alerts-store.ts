import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { alertsDbError } from './alerts-db-error';
import { AlertsStore, createTables, type AlertsDb, type OpenedAlerts } from './alerts-store';
import type { CommitVerdicts, VerdictWrite } from './verdict-writer';

/** `<dataDir>/alerts.db`. */
export const alertsDbPath = (dataDir: string): string => join(dataDir, 'alerts.db');

/** The default backing: `<dataDir>/alerts.db`, a SQLite file (WAL) that one process holds. */
export class SqliteAlertsStore extends AlertsStore {
  readonly where: string;
  readonly startOver: string;

  constructor(private readonly dataDir: string) {
    super();
    this.where = alertsDbPath(dataDir);
    this.startOver = `Use another --data-dir, or delete ${dataDir} to start over.`;
  }

  async open(): Promise<OpenedAlerts> {
    mkdirSync(this.dataDir, { recursive: true });
    const sqlite = openSqlite(this.where);
    const db = kyselyOn(sqlite);
    try {
      await createTables(db, 'real');
    } catch (e) {
      await db.destroy();
      throw e;
    }
    return { db, commit: sqliteCommit(sqlite) };
  }

  async openExisting(): Promise<Kysely<AlertsDb> | undefined> {
    if (!existsSync(this.where)) return undefined;
    const db = kyselyOn(openSqlite(this.where, true));
    try {
      if ((await db.introspection.getTables()).some((t) => t.name === 'run_parameters')) return db;
    } catch (e) {
      await db.destroy();
      throw e;
    }
    await db.destroy();
    return undefined;
  }

  failure(error: unknown): Error {
    return alertsDbError(this.where, error);
  }
}

/**
 * Page cache of an alerts.db connection, KiB: SQLite's own default (better-sqlite3 builds it with
 * 16,000 KiB). The run appends verdicts in key order and reads the table in scans (the decided
 * flights, the summary), so a few pages are reused; a larger cache only fills with the pages
 * written, and a 3-million-flight run's file (about 60 MiB) would fill 16 MiB of it.
 */
const CACHE_KIB = 2000;

function openSqlite(path: string, readonly = false): Database.Database {
  const sqlite = new Database(path, { readonly, fileMustExist: readonly, timeout: 3000 });
  sqlite.pragma(`cache_size = -${CACHE_KIB}`);
  if (!readonly) {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  }
  return sqlite;
}

const kyselyOn = (sqlite: Database.Database): Kysely<AlertsDb> => new Kysely<AlertsDb>({ dialect: new SqliteDialect({ database: sqlite }) });

/**
 * The batch commit on SQLite: statements prepared once (better-sqlite3), run synchronously in
 * one transaction, which commits when the function returns and rolls back when it throws.
 */
function sqliteCommit(sqlite: Database.Database): CommitVerdicts {
  const insertAlert = sqlite.prepare(
    'INSERT INTO alerts (idx, date, origin, origin_name, destination, destination_name, delay, distance) ' +
    'VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idx) DO NOTHING');
  const insertFinal = sqlite.prepare(
    "INSERT INTO verdicts (idx, verdict) VALUES (?, ?) ON CONFLICT (idx) DO UPDATE SET verdict = excluded.verdict WHERE verdicts.verdict = 'failed'");
  const insertFailed = sqlite.prepare('INSERT INTO verdicts (idx, verdict) VALUES (?, ?) ON CONFLICT (idx) DO NOTHING');
  return sqlite.transaction((batch: readonly VerdictWrite[]) => batch.map((w) => {
    if (w.alert) {
      const { flight: f, originName, destinationName } = w.alert;
      insertAlert.run(f.index, f.date, f.origin, originName, f.destination, destinationName, f.delay, f.distance);
    }
    return (w.verdict === 'failed' ? insertFailed : insertFinal).run(w.idx, w.verdict).changes > 0;
  }));
}
