import type { IsolationOptions } from '../core/metadata';

/** {@link IsolationOptions} with every default filled in. */
export type ResolvedIsolation = Required<Omit<IsolationOptions, 'maxMemoryMiB'>> & Pick<IsolationOptions, 'maxMemoryMiB'>;

/** Defaults: 5 crashes in 60 s fail the resource; restarts wait 100 ms doubling to 10 s (± 10 %). */
export function resolveIsolationOptions(o: IsolationOptions): ResolvedIsolation {
  return {
    kind: o.kind,
    maxMemoryMiB: o.maxMemoryMiB,
    maxCrashes: o.maxCrashes ?? 5,
    crashWindowMs: o.crashWindowMs ?? 60_000,
    restartDelayMs: o.restartDelayMs ?? 100,
    maxRestartDelayMs: o.maxRestartDelayMs ?? 10_000,
  };
}

/** How often a child process reports its resident set size when it has a memory bound, ms. */
export const RSS_INTERVAL_MS = 250;
