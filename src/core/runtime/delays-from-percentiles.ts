/** One group of equal observations: `count` delays of `seconds` each. */
export interface DelayObservations {
  seconds: number;
  count: number;
}

/**
 * Turns a summary of timer delays (as `perf_hooks`' event-loop-delay histogram gives it: the
 * number of samples and a map from percentile, 0..100, to the sample value at that percentile,
 * nanoseconds) back into observations: the samples between two listed percentiles are counted at
 * the upper one's value. Each value is reduced by the timer's own period (`periodNanos`: a sample
 * is the time between two runs of a periodic timer) and floored at 0, leaving how late it ran.
 * The counts add up to `count` exactly (rounding is cumulative).
 */
export function delaysFromPercentiles(count: number, percentiles: ReadonlyMap<number, number>, periodNanos: number): DelayObservations[] {
  const out: DelayObservations[] = [];
  if (!(count > 0)) return out;
  let assigned = 0;
  const sorted = [...percentiles].filter(([p]) => p > 0).sort(([a], [b]) => a - b);
  for (const [percentile, nanos] of sorted) {
    const upTo = percentile >= 100 ? count : Math.round((count * percentile) / 100);
    const n = upTo - assigned;
    if (n <= 0) continue;
    assigned = upTo;
    out.push({ seconds: Math.max(0, nanos - periodNanos) / 1e9, count: n });
  }
  return out;
}
