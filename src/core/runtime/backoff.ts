/**
 * Capped exponential backoff with jitter: the one retry schedule of the runtime (checkpoint
 * retries, failing producers). Pure calculation plus an abortable wait.
 */

/**
 * A backoff schedule. Retry n waits `delayMs * multiplier^(n-1)`, at most `maxDelayMs`, then
 * spread by ± `jitterRatio` of itself.
 */
export interface BackoffOptions {
  /** Wait before the first retry, milliseconds. ≥ 0. */
  delayMs: number;
  /** Factor applied to the wait after each failed retry. > 0. */
  multiplier: number;
  /** Cap of the wait between retries, milliseconds, before jitter. ≥ 0. */
  maxDelayMs: number;
  /** Random spread of each wait, as a fraction of it (0.1: ±10 %). ≥ 0. */
  jitterRatio: number;
}

/**
 * Delay before retry number `attempt` (1-based), milliseconds: `delayMs * multiplier^(attempt-1)`
 * capped at `maxDelayMs`, then jittered by ±`jitterRatio` and floored at 0.
 */
export function backoffDelayMs(attempt: number, o: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(o.maxDelayMs, o.delayMs * Math.pow(o.multiplier, Math.max(0, attempt - 1)));
  if (o.jitterRatio <= 0) return base;
  const jitter = (random() * 2 - 1) * base * o.jitterRatio;
  return Math.max(0, base + jitter);
}

/** Sleeps `ms`, resolving early (with false) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => { clearTimeout(timer); resolve(false); };
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(true); }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
