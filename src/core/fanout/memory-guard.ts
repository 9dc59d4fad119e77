import type { SafeLogger } from '../runtime/safe-logger';
import type { SafeMetrics } from '../runtime/safe-metrics';

/**
 * Pauses pull pipelines while process RSS is above a soft limit:
 * samples RSS every `intervalMs`, and on each crossing flips {@link paused}, sets the
 * `pipeline_memory_paused` gauge and logs once. Pipelines ask {@link paused} before each pull
 * and are woken through {@link onResume} when RSS falls back below the limit.
 */
export class MemoryGuard {
  private state = false;
  private timer?: NodeJS.Timeout;
  private readonly listeners = new Set<() => void>();

  /**
   * @param limitBytes - the soft limit, bytes of resident set size.
   * @param intervalMs - sampling period, milliseconds (default 250).
   * @param readRss - the RSS reader (default `process.memoryUsage.rss`).
   */
  constructor(
    private readonly limitBytes: number,
    private readonly log: SafeLogger,
    private readonly metrics: SafeMetrics,
    private readonly intervalMs = 250,
    private readonly readRss: () => number = () => process.memoryUsage.rss(),
  ) {}

  /** True while RSS is above the limit: pull sources are not asked for more. */
  get paused(): boolean {
    return this.state;
  }

  /** Takes a first sample and starts sampling (the timer does not hold the process open). */
  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Registers a wake-up for when the guard lifts; returns the unregister function. */
  onResume(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads RSS once and applies a crossing, if any. */
  sample(): void {
    const rss = this.readRss();
    const over = rss > this.limitBytes;
    if (over === this.state) return;
    this.state = over;
    this.metrics.set('pipeline_memory_paused', {}, over ? 1 : 0);
    const fields = { rss_mib: Math.round(rss / 1048576), limit_mib: Math.round(this.limitBytes / 1048576) };
    if (over) {
      this.log.log('warn', 'Pipelines paused: process memory above the soft limit', {
        ...fields, suggestion: 'Lower maxInFlight or bufferSize, or raise memorySoftLimitMiB.',
      });
    } else {
      this.log.log('info', 'Pipelines resumed: process memory back below the soft limit', fields);
      for (const listener of [...this.listeners]) listener();
    }
  }
}
