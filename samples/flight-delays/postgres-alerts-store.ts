import { Kysely, PostgresDialect, sql } from 'kysely';
import { Pool } from 'pg';
import { AlertsDbError } from './alerts-db-error';
import { AlertsStore, createTables, type AlertsDb, type OpenedAlerts } from './alerts-store';
import type { PostgresTarget } from './state-url';
import type { CommitVerdicts, VerdictWrite } from './verdict-writer';

/**
 * The backing of `--state postgres://...`: the sample's tables in a schema of a PostgreSQL
 * database (kysely's PostgresDialect over `pg`), which every worker process shares. The writes
 * are idempotent, so two processes writing the verdict of one flight (a redelivered message)
 * store it once.
 */
export class PostgresAlertsStore extends AlertsStore {
  readonly where: string;
  readonly startOver: string;

  constructor(private readonly target: PostgresTarget) {
    super();
    this.where = `${target.display} schema ${target.schema}`;
    this.startOver = `Use another schema (?schema= in --state), or drop schema ${target.schema} to start over.`;
  }

  async open(): Promise<OpenedAlerts> {
    const db = this.connect();
    try {
      // Workers starting together would race on CREATE ... IF NOT EXISTS: one creates, the others wait.
      await db.transaction().execute(async (trx) => {
        await sql`SELECT pg_advisory_xact_lock(hashtext(${`flight-delays ${this.target.schema}`}))`.execute(trx);
        await trx.schema.createSchema(this.target.schema).ifNotExists().execute();
        await createTables(trx.withSchema(this.target.schema), 'double precision');
      });
    } catch (e) {
      await db.destroy();
      throw e;
    }
    const scoped = db.withSchema(this.target.schema);
    return { db: scoped, commit: (batch) => postgresCommit(scoped, batch) };
  }

  async openExisting(): Promise<Kysely<AlertsDb> | undefined> {
    const db = this.connect();
    try {
      const found = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables
        WHERE table_schema = ${this.target.schema} AND table_name = 'run_parameters'`.execute(db);
      if (found.rows[0]?.n === 0) {
        await db.destroy();
        return undefined;
      }
    } catch (e) {
      await db.destroy();
      throw e;
    }
    return db.withSchema(this.target.schema);
  }

  failure(error: unknown): Error {
    if (error instanceof AlertsDbError) return error;
    const code = (error as { code?: unknown })?.code;
    const detail = (error as Error)?.message ?? String(error);
    return new AlertsDbError(`${this.where}: ${detail}${typeof code === 'string' ? ` (${code})` : ''}. ` +
      'Check that the server runs and that the user may create the schema and its tables.', { cause: error });
  }

  private connect(): Kysely<AlertsDb> {
    return new Kysely<AlertsDb>({
      dialect: new PostgresDialect({ pool: new Pool({ connectionString: this.target.url, max: 2, connectionTimeoutMillis: 10_000 }) }),
    });
  }
}

/**
 * The batch commit on PostgreSQL: three multi-row statements in one transaction (one round trip
 * each, not one per flight). Rows go in index order, so two processes' transactions lock rows in
 * the same order and cannot deadlock. A flight written twice in one batch is written once: its
 * second write finds it there.
 */
async function postgresCommit(db: Kysely<AlertsDb>, batch: readonly VerdictWrite[]): Promise<boolean[]> {
  const firstOf = new Map<number, VerdictWrite>();
  for (const w of batch) if (!firstOf.has(w.idx)) firstOf.set(w.idx, w);
  const byIdx = (a: VerdictWrite, b: VerdictWrite): number => a.idx - b.idx;
  const unique = [...firstOf.values()].sort(byIdx);
  const alerts = unique.filter((w) => w.alert).map(({ alert }) => {
    const { flight: f, originName, destinationName } = alert!;
    return { idx: f.index, date: f.date, origin: f.origin, origin_name: originName, destination: f.destination, destination_name: destinationName, delay: f.delay, distance: f.distance };
  });
  const finals = unique.filter((w) => w.verdict !== 'failed').map(({ idx, verdict }) => ({ idx, verdict }));
  const failed = unique.filter((w) => w.verdict === 'failed').map(({ idx, verdict }) => ({ idx, verdict }));
  const inserted = new Set<number>();
  await db.transaction().execute(async (trx) => {
    if (alerts.length > 0) await trx.insertInto('alerts').values(alerts).onConflict((oc) => oc.column('idx').doNothing()).execute();
    if (finals.length > 0) {
      const rows = await trx.insertInto('verdicts').values(finals)
        .onConflict((oc) => oc.column('idx').doUpdateSet({ verdict: (eb) => eb.ref('excluded.verdict') }).where('verdicts.verdict', '=', 'failed'))
        .returning('idx').execute();
      for (const r of rows) inserted.add(r.idx);
    }
    if (failed.length > 0) {
      const rows = await trx.insertInto('verdicts').values(failed).onConflict((oc) => oc.column('idx').doNothing()).returning('idx').execute();
      for (const r of rows) inserted.add(r.idx);
    }
  });
  return batch.map((w) => firstOf.get(w.idx) === w && inserted.has(w.idx));
}
