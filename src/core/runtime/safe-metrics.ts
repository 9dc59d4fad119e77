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

  private report(name: string, e: unknown): void {
    const now = Date.now();
    if (now - this.lastReport < 60_000) return;
    this.lastReport = now;
    process.stderr.write(`[minions] metrics backend failed on ${name}: ${(e as Error)?.message ?? String(e)}\n`);
  }
}
