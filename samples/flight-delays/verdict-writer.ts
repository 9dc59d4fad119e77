import type { Flight } from './flight';

/** How the minion finished a flight. `failed` flights are tried again on the next start. */
export type Verdict = 'alert' | 'below' | 'failed';

/** One queued write: a verdict, with the alert row when the verdict is `alert`. */
export interface VerdictWrite {
  idx: number;
  verdict: Verdict;
  alert?: { flight: Flight; originName: string | null; destinationName: string | null };
}

/**
 * Commits a batch in ONE transaction, idempotently: an alert row is inserted once; a verdict is
 * inserted once, and only a `failed` one is later replaced by `alert` or `below`. Returns, per
 * write, whether its verdict row was inserted (or a `failed` one replaced). Throws (nothing of
 * the batch stored) when the transaction fails. Each backing of the alert log has its own.
 */
export type CommitVerdicts = (batch: readonly VerdictWrite[]) => boolean[] | Promise<boolean[]>;

interface PendingWrite extends VerdictWrite {
  resolve: (inserted: boolean) => void;
  reject: (error: unknown) => void;
}

/** Writes per transaction at most (a thousand flights are in flight by default). */
const MAX_BATCH = 1000;

/**
 * Group commit for the per-flight writes of the alert log: every write queued during one turn of
 * the event loop is committed in ONE transaction (`setImmediate`), and each caller's promise
 * settles only once its own transaction has committed (or failed: then every write of it rejects
 * and nothing of it is stored). A step therefore still ends only after its row is stored, so a
 * crash loses no verdict: a step whose transaction never committed did not finish, and the
 * runtime runs it again. One commit per row was the largest cost of a flight; one per batch
 * makes that cost vanish. One transaction at a time: writes queued meanwhile form the next one.
 */
export class VerdictWriter {
  private pending: PendingWrite[] = [];
  private timer: NodeJS.Immediate | null = null;
  /** The transaction being committed (settles, never rejects). */
  private inFlight: Promise<void> = Promise.resolve();

  constructor(private readonly commit: CommitVerdicts) {}

  /**
   * Queues the write; resolves once it has committed: `true` when the verdict row was inserted
   * (or a `failed` one replaced), `false` when a replayed step found it already there.
   * @throws the database error of its transaction (a full disk, a lost server): nothing of it was stored.
   */
  write(idx: number, verdict: Verdict, alert?: VerdictWrite['alert']): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ idx, verdict, alert, resolve, reject });
      if (this.pending.length >= MAX_BATCH) this.flush();
      else this.timer ??= setImmediate(() => this.flush());
    });
  }

  /** Commits everything queued now and waits for it (called before the database closes). */
  async close(): Promise<void> {
    this.flush();
    await this.inFlight;
  }

  private flush(): void {
    if (this.timer !== null) clearImmediate(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    this.inFlight = this.inFlight.then(async () => {
      let inserted: boolean[];
      try {
        inserted = await this.commit(batch);
      } catch (e) {
        for (const w of batch) w.reject(e);
        return;
      }
      batch.forEach((w, i) => w.resolve(inserted[i]));
    });
  }
}
