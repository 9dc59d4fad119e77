import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { Resource, resource } from 'minions';
import { alertsDbError } from './alerts-db-error';
import { IndexSet } from './index-set';
import type { Flight } from './flight';
import { SampleSettings } from './settings';
import { VerdictWriter, type Verdict } from './verdict-writer';

export type { Verdict } from './verdict-writer';

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
interface AlertsDb { alerts: AlertsTable; verdicts: VerdictsTable; run_parameters: RunParametersTable; }

/** Totals over every run that used this data directory. */
export interface AlertTotals {
  /** Flights with a verdict. */
  flights: number;
  alerts: number;
  /** Flights under the threshold (their workflows aborted). */
  below: number;
  failed: number;
  /** Origin airports with the most alerts, most first (ties by code). */
  topOrigins: Array<{ iata: string; name: string | null; alerts: number }>;
}

/** The data directory was made for another input file or threshold. */
export class DataDirMismatchError extends Error {
  override readonly name = 'DataDirMismatchError';
}

/** Verdict rows read per query at startup. */
const DECIDED_PAGE = 50_000;

/** `<dataDir>/alerts.db`. */
export const alertsDbPath = (dataDir: string): string => join(dataDir, 'alerts.db');

/**
 * Runs `work` on `alerts.db`; a failure other than a {@link DataDirMismatchError} becomes an
 * `AlertsDbError` naming the file and what to do.
 */
async function onAlertsDb<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw e instanceof DataDirMismatchError ? e : alertsDbError(path, e);
  }
}

function openSqlite(path: string, readonly = false): Database.Database {
  const sqlite = new Database(path, { readonly, fileMustExist: readonly, timeout: 3000 });
  if (!readonly) {
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
  }
  return sqlite;
}

function kyselyOn(sqlite: Database.Database): Kysely<AlertsDb> {
  return new Kysely<AlertsDb>({ dialect: new SqliteDialect({ database: sqlite }) });
}

function open(path: string, readonly = false): Kysely<AlertsDb> {
  return kyselyOn(openSqlite(path, readonly));
}

async function createSchema(db: Kysely<AlertsDb>): Promise<void> {
  await db.schema.createTable('alerts').ifNotExists()
    .addColumn('idx', 'integer', (c) => c.primaryKey())
    .addColumn('date', 'text', (c) => c.notNull())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('origin_name', 'text')
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('destination_name', 'text')
    .addColumn('delay', 'real', (c) => c.notNull())
    .addColumn('distance', 'real', (c) => c.notNull())
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

function parametersOf(settings: SampleSettings): Record<string, string> {
  return { input_digest: settings.input.digest, threshold: String(settings.threshold) };
}

async function checkParameters(db: Kysely<AlertsDb>, settings: SampleSettings, dbPath: string): Promise<void> {
  const stored = new Map((await db.selectFrom('run_parameters').selectAll().execute()).map((r) => [r.key, r.value]));
  for (const [key, value] of Object.entries(parametersOf(settings))) {
    const old = stored.get(key);
    if (old === undefined || old === value) continue;
    const what = key === 'threshold' ? `threshold ${old} (this run: ${value})` : 'another input file';
    throw new DataDirMismatchError(`${dbPath} was made with ${what}; its results would mix. ` +
      `Use another --data-dir, or delete ${settings.dataDir} to start over.`);
  }
}

/**
 * Checks, without creating anything, that a data directory belongs to this input and threshold.
 * @throws DataDirMismatchError when it was made for others; AlertsDbError when `alerts.db` cannot be read.
 */
export async function checkDataDir(settings: SampleSettings): Promise<void> {
  const path = alertsDbPath(settings.dataDir);
  if (!existsSync(path)) return;
  await onAlertsDb(path, async () => {
    const db = open(path, true);
    try {
      const tables = await db.introspection.getTables();
      if (tables.some((t) => t.name === 'run_parameters')) await checkParameters(db, settings, path);
    } finally {
      await db.destroy();
    }
  });
}

/**
 * Totals over every run, read from `<dataDir>/alerts.db` (zeros when it does not exist).
 * @throws AlertsDbError when `alerts.db` cannot be read.
 */
export async function readTotals(dataDir: string): Promise<AlertTotals> {
  const path = alertsDbPath(dataDir);
  if (!existsSync(path)) return { flights: 0, alerts: 0, below: 0, failed: 0, topOrigins: [] };
  return onAlertsDb(path, () => totalsOf(open(path, true)));
}

async function totalsOf(db: Kysely<AlertsDb>): Promise<AlertTotals> {
  try {
    const byVerdict = await db.selectFrom('verdicts').select(['verdict', sql<number>`count(*)`.as('n')]).groupBy('verdict').execute();
    const count = (v: Verdict) => Number(byVerdict.find((r) => r.verdict === v)?.n ?? 0);
    const alerts = await db.selectFrom('alerts').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    const top = await db.selectFrom('alerts')
      .select(['origin', sql<string | null>`max(origin_name)`.as('name'), sql<number>`count(*)`.as('n')])
      .groupBy('origin').orderBy('n', 'desc').orderBy('origin').limit(5).execute();
    return {
      flights: count('alert') + count('below') + count('failed'),
      alerts: Number(alerts.n),
      below: count('below'),
      failed: count('failed'),
      topOrigins: top.map((r) => ({ iata: r.origin, name: r.name, alerts: Number(r.n) })),
    };
  } finally {
    await db.destroy();
  }
}

/**
 * Shared resource: the `alerts` table (primary key: the flight's index in the input) and the
 * `verdicts` table (one row per finished flight) in `<dataDir>/alerts.db`. The schema and the
 * reads go through Kysely; the per-flight writes through a {@link VerdictWriter}, which commits
 * the writes of many workflows in one transaction. Every write is idempotent, because workflow
 * steps are at-least-once: a step replayed after a crash writes nothing new. New rows are
 * counted in the run's stats.
 */
@resource({ id: '8e3cc427-c0b1-4a85-98b7-6f0ff356b341' })
export class AlertLog extends Resource {
  private db?: Kysely<AlertsDb>;
  private writer?: VerdictWriter;

  constructor(private readonly settings: SampleSettings) {
    super();
  }

  /** Opens `alerts.db`. @throws AlertsDbError when it cannot be opened or written; DataDirMismatchError. */
  override async startup(): Promise<void> {
    const path = alertsDbPath(this.settings.dataDir);
    await onAlertsDb(path, async () => {
      mkdirSync(this.settings.dataDir, { recursive: true });
      const sqlite = openSqlite(path);
      const db = kyselyOn(sqlite);
      try {
        await createSchema(db);
        await checkParameters(db, this.settings, path);
        for (const [key, value] of Object.entries(parametersOf(this.settings))) {
          await db.insertInto('run_parameters').values({ key, value }).onConflict((oc) => oc.doNothing()).execute();
        }
        this.writer = new VerdictWriter(sqlite);
      } catch (e) {
        await db.destroy();
        throw e;
      }
      this.db = db;
    });
  }

  override async shutdown(): Promise<void> {
    this.writer?.flush();
    this.writer = undefined;
    await this.db?.destroy();
    this.db = undefined;
  }

  /** Inserts the alert and the flight's `alert` verdict, in one transaction. */
  async recordAlert(flight: Flight, originName: string | null, destinationName: string | null): Promise<void> {
    if (await this.verdictWriter().write(flight.index, 'alert', { flight, originName, destinationName })) this.settings.stats.alerts++;
  }

  /** Records that the flight is under the threshold. */
  async recordBelow(index: number): Promise<void> {
    if (await this.verdictWriter().write(index, 'below')) this.settings.stats.below++;
  }

  /** Records that the flight's workflow failed; a later `alert` or `below` replaces it. */
  async recordFailed(index: number): Promise<void> {
    if (await this.verdictWriter().write(index, 'failed')) this.settings.stats.failed++;
  }

  /**
   * Indices of the flights decided for good (`alert` or `below`): the feed skips them. Read in
   * pages of 50,000 into a bitmap, so millions of verdicts never sit in memory as rows.
   */
  async decidedIndices(): Promise<IndexSet> {
    const decided = new IndexSet();
    for (let after = -1; ;) {
      const rows = await this.database().selectFrom('verdicts').select('idx')
        .where('verdict', 'in', ['alert', 'below']).where('idx', '>', after).orderBy('idx').limit(DECIDED_PAGE).execute();
      for (const r of rows) decided.add(r.idx);
      if (rows.length < DECIDED_PAGE) return decided;
      after = rows[rows.length - 1].idx;
    }
  }

  private database(): Kysely<AlertsDb> {
    if (!this.db) throw new Error('AlertLog is not started: alerts.db is closed.');
    return this.db;
  }

  private verdictWriter(): VerdictWriter {
    if (!this.writer) throw new Error('AlertLog is not started: alerts.db is closed.');
    return this.writer;
  }
}
