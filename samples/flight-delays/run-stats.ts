/**
 * Live counters of this process's run, shared by the feed, the alert log and the entry point
 * (progress bar, "this run" lines of the summary). Totals across restarts come from the
 * alert log's tables instead.
 */
export class RunStats {
  /** Flights decided by earlier runs (skipped by the feed at startup). */
  alreadyDone = 0;
  /** Flights handed to the runtime by the feed in this run. */
  emitted = 0;
  /** New `alert` verdicts written in this run. */
  alerts = 0;
  /** New `below` verdicts (workflows aborted under the threshold) written in this run. */
  below = 0;
  /** New `failed` verdicts written in this run. */
  failed = 0;

  /** Flights this run finished: new verdict rows (a replayed step writes none). */
  get processed(): number {
    return this.alerts + this.below + this.failed;
  }
}
