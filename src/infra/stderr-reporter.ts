import { RepeatLimiter } from '../core/runtime/repeat-limiter';

/**
 * Last-resort reporting for infrastructure adapters whose own failures must never reach the
 * caller (a metrics backend, a logger): writes one line to stderr, at most once per `key` in
 * every `intervalMs` window, so a failure repeated on a hot path cannot flood the terminal.
 *
 * Internal to `src/infra`; not part of the public API.
 */
export class StderrReporter {
  private readonly limiter: RepeatLimiter;
  private readonly onceSeen = new Set<string>();

  /**
   * @param prefix Written before every line, e.g. `'[PrometheusMetrics]'`.
   * @param intervalMs Minimum time between two lines with the same key, milliseconds. Default 60 000.
   * @param maxKeys Keys remembered at most; past this the oldest are forgotten. Default 1000.
   */
  constructor(
    private readonly prefix: string,
    intervalMs = 60_000,
    maxKeys = 1000,
  ) {
    this.limiter = new RepeatLimiter(intervalMs, maxKeys);
  }

  /**
   * Writes `message` unless a line with the same `key` was written less than `intervalMs` ago.
   * Lines skipped in the meantime are counted and mentioned on the next one. Never throws.
   */
  report(key: string, message: string): void {
    try {
      const skipped = this.limiter.admit(key);
      if (skipped === undefined) return;
      const suffix = skipped > 0 ? ` (${skipped} similar message(s) suppressed)` : '';
      process.stderr.write(`${this.prefix} ${message}${suffix}\n`);
    } catch {
      // stderr itself failed: nothing left to report to.
    }
  }

  /** Writes `message` the first time `key` is seen, never again. Never throws. */
  once(key: string, message: string): void {
    if (this.onceSeen.has(key)) return;
    this.onceSeen.add(key);
    this.report(`once:${key}`, message);
  }
}

/** `error.name: error.message` for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
