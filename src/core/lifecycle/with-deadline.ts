/**
 * Races `work` against a deadline of `ms` milliseconds: resolves or rejects as `work` does when
 * it settles first, else rejects with `onTimeout()`. The timer is always cleared, so a settled
 * race never holds the process open. `work` itself is not cancelled: pass it an AbortSignal.
 */
export function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  if (!Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(onTimeout()), ms); });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/**
 * Waits for `work` to settle, at most `ms` milliseconds. True when it settled in time (its
 * rejection counts as settled: the caller reads errors elsewhere), false when the deadline passed.
 */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  const settled = work.then(() => true, () => true);
  if (!Number.isFinite(ms)) return settled;
  let timer: NodeJS.Timeout | undefined;
  // Resolves false at the deadline: no error is made, since nobody would read it.
  const deadline = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), ms); });
  return Promise.race([settled, deadline]).finally(() => clearTimeout(timer));
}
