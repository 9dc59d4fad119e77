import type Database from 'better-sqlite3';
import type { Flight } from './flight';

/** How the minion finished a flight. `failed` flights are tried again on the next start. */
export type Verdict = 'alert' | 'below' | 'failed';

/** One queued write: a verdict, with the alert row when the verdict is `alert`. */
interface PendingWrite {
  idx: number;
  verdict: Verdict;
  alert?: { flight: Flight; originName: string | null; destinationName: string | null };
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

/** Writes per transaction at most (a thousand flights are in flight by default). */
const MAX_BATCH = 1000;

/**
 * Group commit for the per-flight writes of `alerts.db`: every write queued during one turn of
 * the event loop is committed in ONE transaction (`setImmediate`), and each caller's promise
 * settles only once its own transaction has committed (or failed: then every write of it rejects
 * and nothing of it is stored). A step therefore still ends only after its row is on disk, so a
 * crash loses no verdict: a step whose transaction never committed did not finish, and the
 * runtime runs it again. One commit per row was the largest cost of a flight; one per batch
 * makes that cost vanish.
 *
 * The statements are prepared once (better-sqlite3) and are idempotent, because a step may run
 * again after a crash: an alert row is inserted once (`ON CONFLICT DO NOTHING`); a verdict is
 * inserted once, and only a `failed` one is later replaced by `alert` or `below`.
 */
export class VerdictWriter {
  private pending: PendingWrite[] = [];
  private timer: NodeJS.Immediate | null = null;
  private readonly commit: (batch: PendingWrite[]) => boolean[];

  constructor(sqlite: Database.Database) {
    const insertAlert = sqlite.prepare(
      'INSERT INTO alerts (idx, date, origin, origin_name, destination, destination_name, delay, distance) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (idx) DO NOTHING');
    const insertFinal = sqlite.prepare(
      "INSERT INTO verdicts (idx, verdict) VALUES (?, ?) ON CONFLICT (idx) DO UPDATE SET verdict = excluded.verdict WHERE verdicts.verdict = 'failed'");
    const insertFailed = sqlite.prepare('INSERT INTO verdicts (idx, verdict) VALUES (?, ?) ON CONFLICT (idx) DO NOTHING');
    // `transaction()` commits when the function returns and rolls back when it throws.
    this.commit = sqlite.transaction((batch: PendingWrite[]) => batch.map((w) => {
      if (w.alert) {
        const { flight: f, originName, destinationName } = w.alert;
        insertAlert.run(f.index, f.date, f.origin, originName, f.destination, destinationName, f.delay, f.distance);
      }
      return (w.verdict === 'failed' ? insertFailed : insertFinal).run(w.idx, w.verdict).changes > 0;
    }));
  }

  /**
   * Queues the write; resolves once it has committed: `true` when the verdict row was inserted
   * (or a `failed` one replaced), `false` when a replayed step found it already there.
   * @throws the SQLite error of its transaction (a full disk, a damaged file): nothing of it was stored.
   */
  write(idx: number, verdict: Verdict, alert?: PendingWrite['alert']): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ idx, verdict, alert, resolve, reject });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else this.timer ??= setImmediate(() => this.flush());
    });
  }

  /** Commits everything queued now (also called before the database closes). */
  flush(): void {
    if (this.timer !== null) clearImmediate(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    let inserted: boolean[];
    try {
      inserted = this.commit(batch);
    } catch (e) {
      for (const w of batch) w.reject(e);
      return;
    }
    batch.forEach((w, i) => w.resolve(inserted[i]));
  }
}
