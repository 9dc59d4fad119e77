import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { delaysFromPercentiles } from './delays-from-percentiles';
import type { SafeMetrics } from './safe-metrics';

const METRIC = 'minions_event_loop_delay_seconds';
const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Tunables of {@link EventLoopDelayMonitor}. */
export interface EventLoopDelayOptions {
  /** Period of the monitor's timer, milliseconds: one sample each time it runs (default 10). */
  resolutionMs?: number;
  /** How often the samples are handed to the histogram, milliseconds (default 1000). */
  flushEveryMs?: number;
}

/**
 * Exports event-loop delay as the `minions_event_loop_delay_seconds` histogram through the
 * Metrics port, so that it works with any Metrics backend. `perf_hooks.monitorEventLoopDelay`
 * runs a timer every `resolutionMs` and records the time between its runs; every `flushEveryMs`
 * its percentiles are turned back into observations (see `delaysFromPercentiles`: the samples
 * between two percentiles are observed at the upper one, less the timer's period), then it is
 * reset; a backend with collect hooks (`Metrics.onCollect`, as `PrometheusMetrics` has) also gets
 * them right before each read, so a scrape is never up to a second behind. A loop blocked for 2 s
 * thus shows as one observation near 2 s; an idle loop as about 100 observations a second near 0.
 */
export class EventLoopDelayMonitor {
  private readonly resolutionMs: number;
  private readonly flushEveryMs: number;
  private histogram?: IntervalHistogram;
  private timer?: NodeJS.Timeout;
  private unhook?: () => void;

  constructor(private readonly metrics: SafeMetrics, options: EventLoopDelayOptions = {}) {
    this.resolutionMs = options.resolutionMs ?? 10;
    this.flushEveryMs = options.flushEveryMs ?? 1000;
  }

  /** Starts measuring and flushing (neither holds the process open). Idempotent. */
  start(): void {
    if (this.histogram) return;
    this.histogram = monitorEventLoopDelay({ resolution: this.resolutionMs });
    this.histogram.enable();
    this.timer = setInterval(() => this.flush(), this.flushEveryMs);
    this.timer.unref();
    // A backend with collect hooks gets the samples on every read: a scrape right after a stall shows it.
    this.unhook = this.metrics.onCollect(() => this.flush());
  }

  /** Hands the samples taken since the previous flush to the histogram. */
  flush(): void {
    const h = this.histogram;
    if (!h) return;
    const observations = delaysFromPercentiles(h.count, h.percentiles, this.resolutionMs * 1e6);
    h.reset();
    for (const { seconds, count } of observations) {
      for (let i = 0; i < count; i++) this.metrics.observe(METRIC, NO_LABELS, seconds);
    }
  }

  /** Flushes what was measured and stops. */
  stop(): void {
    this.flush();
    this.unhook?.();
    this.unhook = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    this.histogram?.disable();
    this.histogram = undefined;
  }
}
