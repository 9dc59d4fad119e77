/**
 * Decides which of many repeated lines are written (the "never flood a log" rule): at most one
 * line per key in every `intervalMs` window; the lines skipped in the meantime are counted and
 * handed to the next line that is written, so nothing is hidden without a count.
 */
export class RepeatLimiter {
  private readonly last = new Map<string, number>();
  private readonly skipped = new Map<string, number>();

  /**
   * @param intervalMs - minimum time between two lines with the same key, ms.
   * @param maxKeys - keys remembered at most (the oldest are forgotten first), so an unbounded
   *   variety of keys cannot grow memory.
   * @param now - the clock, ms (tests pass their own).
   */
  constructor(
    private readonly intervalMs: number,
    private readonly maxKeys = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `undefined` when a line with this key was written less than `intervalMs` ago (this one is
   * counted as skipped); else the number of lines skipped since the last one written (0 at first).
   */
  admit(key: string): number | undefined {
    const t = this.now();
    const previous = this.last.get(key);
    if (previous !== undefined && t - previous < this.intervalMs) {
      this.skipped.set(key, (this.skipped.get(key) ?? 0) + 1);
      return undefined;
    }
    const skipped = this.skipped.get(key) ?? 0;
    this.skipped.delete(key);
    this.last.delete(key); // re-inserted last: the map stays in least-recently-written order
    this.last.set(key, t);
    if (this.last.size > this.maxKeys) {
      const oldest = this.last.keys().next().value as string;
      this.last.delete(oldest);
      this.skipped.delete(oldest);
    }
    return skipped;
  }
}
