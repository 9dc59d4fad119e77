import type { PersistenceRetryOptions } from '../runtime/runtime-services';

/**
 * Delay before retry number `attempt` (1-based), milliseconds: `delayMs * multiplier^(attempt-1)`
 * capped at `maxDelayMs`, then jittered by ±`jitterRatio` and floored at 0 (REFERENCE P-07).
 */
export function backoffDelayMs(attempt: number, o: PersistenceRetryOptions, random: () => number = Math.random): number {
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
