/**
 * Waiting on events in tests, never on the clock: a tally that test code marks, and an
 * InMemoryLogger whose lines can be awaited.
 */
import { InMemoryLogger, type LogLevel } from 'minions';

/** Counts what test code reports with `mark()`; `reached(n)` resolves once it was called `n` times. */
export class Tally {
  private marks = 0;
  private readonly waiters = new Set<() => void>();

  mark(): void {
    this.marks++;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once `mark()` has been called `n` times in all (default once). */
  reached(n = 1): Promise<void> {
    return new Promise<void>((resolve) => {
      const check = () => {
        if (this.marks < n) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** An {@link InMemoryLogger} that wakes waiters when a line is recorded. */
export class WatchedLogger extends InMemoryLogger {
  private readonly waiters = new Set<() => void>();

  override log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    super.log(level, message, fields);
    for (const wake of [...this.waiters]) wake();
  }

  /**
   * Resolves once `times` lines whose message equals `message` (or matches it, for a RegExp) have
   * been recorded, counting those already there.
   */
  logged(message: string | RegExp, times = 1): Promise<void> {
    return new Promise<void>((resolve) => {
      const check = () => {
        if (this.findAll(message).length < times) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }
}
