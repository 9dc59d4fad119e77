import { MemoryPressureError } from '../errors';
import type { SafeLogger } from '../runtime/safe-logger';
import type { SafeMetrics } from '../runtime/safe-metrics';

/** The memory guard's soft limit and where it comes from. */
export interface MemorySoftLimit {
  /** Resident set size above which the guard trips, bytes. */
  bytes: number;
  /**
   * Where the number comes from, for log lines and errors: `memorySoftLimitMiB`, or e.g.
   * `memorySoftLimit 0.8 of the cgroup v2 limit of 1024 MiB in /sys/fs/cgroup/memory.max`.
   */
  source: string;
}

/** Tunables of {@link MemoryGuard}. */
export interface MemoryGuardOptions {
  /**
   * The guard lifts once RSS is below `resumeRatio` × the soft limit (hysteresis, so that it does
   * not flap around the limit). In (0, 1]; default {@link DEFAULT_MEMORY_RESUME_RATIO}.
   */
  resumeRatio?: number;
  /** Sampling period, milliseconds (default 250). */
  intervalMs?: number;
  /** The RSS reader, bytes (default `process.memoryUsage.rss`). */
  readRss?: () => number;
}

/** Default `GruOptions.memoryResumeRatio`: the guard lifts below 90 % of the soft limit. */
export const DEFAULT_MEMORY_RESUME_RATIO = 0.9;

const MIB = 1048576;

/**
 * Holds intake back while process RSS is above a soft limit: samples RSS every `intervalMs`;
 * above the limit it trips ({@link paused}): pull pipelines are not asked for more events and
 * {@link assertRoom} refuses new orchestration starts. It lifts only once RSS falls below the
 * lower mark (`resumeRatio` × the limit). Each crossing sets the `pipeline_memory_paused` gauge
 * and logs once; listeners registered with {@link onResume} are woken when it lifts.
 * The `minions_memory_soft_limit_bytes` gauge holds the limit from {@link start} on.
 */
export class MemoryGuard {
  private state = false;
  private timer?: NodeJS.Timeout;
  private readonly listeners = new Set<() => void>();
  private readonly intervalMs: number;
  private readonly readRss: () => number;
  /** RSS below which the guard lifts, bytes. */
  readonly resumeBelowBytes: number;

  constructor(
    /** The soft limit and its source. */
    readonly limit: MemorySoftLimit,
    private readonly log: SafeLogger,
    private readonly metrics: SafeMetrics,
    options: MemoryGuardOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 250;
    this.readRss = options.readRss ?? (() => process.memoryUsage.rss());
    this.resumeBelowBytes = limit.bytes * (options.resumeRatio ?? DEFAULT_MEMORY_RESUME_RATIO);
  }

  /** True from RSS passing the soft limit until it falls below the lower mark: pull sources are not asked for more. */
  get paused(): boolean {
    return this.state;
  }

  /** Sets the gauges, takes a first sample and starts sampling (the timer does not hold the process open). */
  start(): void {
    this.metrics.set('minions_memory_soft_limit_bytes', {}, this.limit.bytes);
    this.metrics.set('pipeline_memory_paused', {}, 0);
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

  /**
   * Samples RSS now and refuses a new start while the guard is tripped.
   * @throws MemoryPressureError with the RSS, the limit and where it comes from.
   */
  assertRoom(): void {
    const rss = this.sample();
    if (!this.state) return;
    throw new MemoryPressureError({ rssBytes: rss, limitBytes: this.limit.bytes, limitSource: this.limit.source, resumeBelowBytes: this.resumeBelowBytes });
  }

  /** Reads RSS once and applies a crossing, if any; returns the RSS read, bytes. */
  sample(): number {
    const rss = this.readRss();
    const next = this.state ? rss >= this.resumeBelowBytes : rss > this.limit.bytes;
    if (next === this.state) return rss;
    this.state = next;
    this.metrics.set('pipeline_memory_paused', {}, next ? 1 : 0);
    const fields = {
      rss_mib: Math.round(rss / MIB), limit_mib: Math.round(this.limit.bytes / MIB),
      resume_below_mib: Math.round(this.resumeBelowBytes / MIB), limit_source: this.limit.source,
    };
    if (next) {
      this.log.log('warn', 'Pipelines paused: process memory above the soft limit', {
        ...fields, suggestion: 'New orchestration starts are refused until it falls below resume_below_mib. Lower maxInFlight or bufferSize, or raise the memory soft limit.',
      });
    } else {
      this.log.log('info', 'Pipelines resumed: process memory back below the soft limit', fields);
      for (const listener of [...this.listeners]) listener();
    }
    return rss;
  }
}
