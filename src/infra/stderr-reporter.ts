/**
 * Last-resort reporting for infrastructure adapters whose own failures must never reach the
 * caller (a metrics backend, a logger): writes one line to stderr, at most once per `key` in
 * every `intervalMs` window, so a failure repeated on a hot path cannot flood the terminal.
 *
 * Internal to `src/infra`; not part of the public API.
 */
export class StderrReporter {
  private readonly lastReported = new Map<string, number>();
  private readonly suppressed = new Map<string, number>();

  /**
   * @param prefix Written before every line, e.g. `'[PrometheusMetrics]'`.
   * @param intervalMs Minimum time between two lines with the same key, milliseconds. Default 60 000.
   * @param maxKeys Keys remembered at most; past this the oldest are forgotten. Default 1000.
   */
  constructor(
    private readonly prefix: string,
    private readonly intervalMs = 60_000,
    private readonly maxKeys = 1000,
  ) {}

  /**
   * Writes `message` unless a line with the same `key` was written less than `intervalMs` ago.
   * Lines skipped in the meantime are counted and mentioned on the next one. Never throws.
   */
  report(key: string, message: string): void {
    try {
      const now = Date.now();
      const last = this.lastReported.get(key);
      if (last !== undefined && now - last < this.intervalMs) {
        this.suppressed.set(key, (this.suppressed.get(key) ?? 0) + 1);
        return;
      }
      const skipped = this.suppressed.get(key) ?? 0;
      this.suppressed.delete(key);
      this.lastReported.delete(key);
      this.lastReported.set(key, now);
      if (this.lastReported.size > this.maxKeys) {
        const oldest = this.lastReported.keys().next().value as string;
        this.lastReported.delete(oldest);
        this.suppressed.delete(oldest);
      }
      const suffix = skipped > 0 ? ` (${skipped} similar message(s) suppressed)` : '';
      process.stderr.write(`${this.prefix} ${message}${suffix}\n`);
    } catch {
      // stderr itself failed: nothing left to report to.
    }
  }

  /** Writes `message` the first time `key` is seen, never again. Never throws. */
  once(key: string, message: string): void {
    if (this.lastReported.has(`once:${key}`)) return;
    this.report(`once:${key}`, message);
    this.lastReported.set(`once:${key}`, Number.POSITIVE_INFINITY);
  }
}

/** `error.name: error.message` for any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
