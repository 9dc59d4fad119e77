import { type Kysely, sql } from 'kysely';
import { Resource, resource } from 'minions';
import { AlertsStore, type AlertsDb } from './alerts-store';
import { IndexSet } from './index-set';
import type { Flight } from './flight';
import { SampleSettings } from './settings';
import { VerdictWriter, type Verdict } from './verdict-writer';

export type { Verdict } from './verdict-writer';

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

/**
 * Runs `work` on the store; a failure other than a {@link DataDirMismatchError} becomes the
 * store's error naming it and what to do (`AlertsDbError`).
 */
async function onStore<T>(store: AlertsStore, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw e instanceof DataDirMismatchError ? e : store.failure(e);
  }
}

function parametersOf(settings: SampleSettings): Record<string, string> {
  return { input_digest: settings.input.digest, threshold: String(settings.threshold) };
}

async function checkParameters(db: Kysely<AlertsDb>, settings: SampleSettings): Promise<void> {
  const stored = new Map((await db.selectFrom('run_parameters').selectAll().execute()).map((r) => [r.key, r.value]));
  for (const [key, value] of Object.entries(parametersOf(settings))) {
    const old = stored.get(key);
    if (old === undefined || old === value) continue;
    const what = key === 'threshold' ? `threshold ${old} (this run: ${value})` : 'another input file';
    throw new DataDirMismatchError(`${settings.alertsStore.where} was made with ${what}; its results would mix. ${settings.alertsStore.startOver}`);
  }
}

/**
 * Checks, without creating anything, that the alert database belongs to this input and threshold.
 * @throws DataDirMismatchError when it was made for others; AlertsDbError when it cannot be read.
 */
export async function checkDataDir(settings: SampleSettings): Promise<void> {
  const store = settings.alertsStore;
  await onStore(store, async () => {
    const db = await store.openExisting();
    if (!db) return;
    try {
      await checkParameters(db, settings);
    } finally {
      await db.destroy();
    }
  });
}

/**
 * Totals over every run, read from the alert database (zeros when it does not exist).
 * @throws AlertsDbError when it cannot be read.
 */
export async function readTotals(store: AlertsStore): Promise<AlertTotals> {
  return onStore(store, async () => {
    const db = await store.openExisting();
    return db ? totalsOf(db) : { flights: 0, alerts: 0, below: 0, failed: 0, topOrigins: [] };
  });
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
 * `verdicts` table (one row per finished flight), in the {@link AlertsStore} the command line
 * chose (`alerts.db` in the data directory, or a PostgreSQL schema several processes share).
 * The schema and the reads go through Kysely; the per-flight writes through a
 * {@link VerdictWriter}, which commits the writes of many workflows in one transaction. Every
 * write is idempotent, because workflow steps are at-least-once: a step replayed after a crash
 * (or in another process, after a redelivery) writes nothing new. New rows are counted in the
 * run's stats.
 */
@resource({ id: '8e3cc427-c0b1-4a85-98b7-6f0ff356b341' })
export class AlertLog extends Resource {
  private db?: Kysely<AlertsDb>;
  private writer?: VerdictWriter;

  constructor(private readonly settings: SampleSettings, private readonly store: AlertsStore) {
    super();
  }

  /** Opens the alert database. @throws AlertsDbError when it cannot be opened or written; DataDirMismatchError. */
  override async startup(): Promise<void> {
    await onStore(this.store, async () => {
      const { db, commit } = await this.store.open();
      try {
        await checkParameters(db, this.settings);
        for (const [key, value] of Object.entries(parametersOf(this.settings))) {
          await db.insertInto('run_parameters').values({ key, value }).onConflict((oc) => oc.column('key').doNothing()).execute();
        }
      } catch (e) {
        await db.destroy();
        throw e;
      }
      this.writer = new VerdictWriter(commit);
      this.db = db;
    });
  }

  override async shutdown(): Promise<void> {
    await this.writer?.close();
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
    if (!this.db) throw new Error('AlertLog is not started: the alert database is closed.');
    return this.db;
  }

  private verdictWriter(): VerdictWriter {
    if (!this.writer) throw new Error('AlertLog is not started: the alert database is closed.');
    return this.writer;
  }
}
