import type { Metrics } from '../ports/metrics';

/**
 * The runtime's guarded view of a {@link Metrics} port: a failing backend never breaks the
 * runtime; failures are reported on stderr at most once a minute.
 */
export class SafeMetrics {
  private lastReport = 0;

  constructor(private readonly metrics: Metrics) {}

  inc(name: string, labels: Record<string, string>, value?: number): void {
    try { this.metrics.inc(name, labels, value); } catch (e) { this.report(name, e); }
  }

  set(name: string, labels: Record<string, string>, value: number): void {
    try { this.metrics.set(name, labels, value); } catch (e) { this.report(name, e); }
  }

  observe(name: string, labels: Record<string, string>, seconds: number): void {
    try { this.metrics.observe(name, labels, seconds); } catch (e) { this.report(name, e); }
  }

  /** Registers a collect hook with the backend, if it has collect hooks (see `Metrics.onCollect`); a throwing hook is reported, not raised. */
  onCollect(hook: () => void): () => void {
    if (!this.metrics.onCollect) return () => {};
    try {
      return this.metrics.onCollect(() => {
        try { hook(); } catch (e) { this.report('collect hook', e); }
      });
    } catch (e) {
      this.report('onCollect', e);
      return () => {};
    }
  }

  private report(name: string, e: unknown): void {
    const now = Date.now();
    if (now - this.lastReport < 60_000) return;
    this.lastReport = now;
    process.stderr.write(`[minions] metrics backend failed on ${name}: ${(e as Error)?.message ?? String(e)}\n`);
  }
}
