import type { SafeMetrics } from './safe-metrics';

const METRIC = 'minions_event_loop_delay_seconds';
const NO_LABELS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Tunables of {@link EventLoopDelayMonitor}. */
export interface EventLoopDelayOptions {
  /** Period of the monitor's timer, milliseconds (default 10). */
  resolutionMs?: number;
}

/**
 * Exports event-loop delay as the `minions_event_loop_delay_seconds` histogram through the
 * Metrics port, so that it works with any Metrics backend. A timer due every `resolutionMs`
 * observes, each time it runs, how late it ran: an idle loop shows as about 100 observations a
 * second near 0; a loop blocked for 2 s as one observation near 2 s, made at the timer's first
 * run after the stall (so a scrape right after a stall already has it).
 *
 * Not `perf_hooks.monitorEventLoopDelay`: its percentiles can only be handed to a histogram in
 * batches, and resetting it between batches forgets an interval in progress, so a stall right
 * after a hand-over went unseen.
 */
export class EventLoopDelayMonitor {
  private readonly resolutionMs: number;
  private timer?: NodeJS.Timeout;
  /** When the timer should run next (`performance.now()` milliseconds). */
  private due = 0;

  constructor(private readonly metrics: SafeMetrics, options: EventLoopDelayOptions = {}) {
    this.resolutionMs = options.resolutionMs ?? 10;
  }

  /** Starts measuring (the timer never holds the process open). Idempotent. */
  start(): void {
    if (this.timer) return;
    this.due = performance.now() + this.resolutionMs;
    this.timer = setInterval(() => this.tick(), this.resolutionMs);
    this.timer.unref();
  }

  /** Stops measuring. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = performance.now();
    this.metrics.observe(METRIC, NO_LABELS, Math.max(0, now - this.due) / 1000);
    // An interval timer is rescheduled from when its callback ran, not from when it was due.
    this.due = now + this.resolutionMs;
  }
}
