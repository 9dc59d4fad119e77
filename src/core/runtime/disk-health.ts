import { DiskFullError } from '../errors';
import { errorFields, type SafeLogger } from './safe-logger';
import type { SafeMetrics } from './safe-metrics';

/**
 * Whether the runtime can write to disk, as checkpoints and steps find out (the full-disk rule):
 * the first write failing with a full disk (SQLITE_FULL, ENOSPC) pauses intake (pull pipelines are
 * not asked for more and buffered events wait; the `pipeline_disk_full_paused` gauge is 1), logs
 * one error line, then one per cause at a bounded rate with a repeat count; the first write that
 * succeeds again resumes intake. If the disk stays full for `timeoutMs`, `onDeadline` gets a
 * {@link DiskFullError} (the Gru then stops its orchestrations; their workflows keep their checkpoints).
 */
export class DiskHealth {
  /** Start of the current episode of full-disk reports (writes may succeed in between). */
  private episodeSince?: number;
  private lastFullAt = 0;
  private paused = false;
  /** What could not be written in this episode, in the order first seen (a few at most). */
  private readonly locations: string[] = [];
  private timer?: NodeJS.Timeout;
  private readonly listeners = new Set<() => void>();

  /**
   * @param timeoutMs - how long an episode of full-disk reports may last before `onDeadline`;
   *   `null`: wait forever.
   * @param quietMs - an episode ends when no write found the disk full for this long (a write
   *   that happens to fit, such as a delete, does not end it). Default 10,000 ms.
   */
  constructor(
    private readonly log: SafeLogger,
    private readonly metrics: SafeMetrics,
    private readonly timeoutMs: number | null,
    private readonly onDeadline: (error: DiskFullError) => void,
    private readonly quietMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while the last write found the disk full: intake is paused. */
  get full(): boolean {
    return this.paused;
  }

  /** Registers a wake-up for when intake resumes; returns the unregister function. */
  onResume(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A write failed with a full disk. `location` names what could not be written (the store's
   * file, `step <name> of <Minion>`).
   */
  reportFull(error: unknown, location: string, fields?: Record<string, unknown>): void {
    const t = this.now();
    const first = this.episodeSince === undefined || t - this.lastFullAt > this.quietMs;
    this.lastFullAt = t;
    if (first) this.locations.length = 0;
    if (this.locations.length < 4 && !this.locations.includes(location)) this.locations.push(location);
    if (!this.paused) {
      this.paused = true;
      this.metrics.set('pipeline_disk_full_paused', {}, 1);
    }
    if (first) {
      this.episodeSince = t;
      clearTimeout(this.timer);
      if (this.timeoutMs !== null) this.timer = setTimeout(() => this.deadline(), this.timeoutMs);
      this.log.log('error', 'Disk full: intake paused until space returns', {
        ...fields, location, ...errorFields(error), disk_full_timeout_ms: this.timeoutMs,
        suggestion: `Free space on the filesystem holding ${location}. In-flight workflows wait and retry; ` +
          'new events wait in their pipelines.',
      });
      return;
    }
    this.log.logRepeated(`disk-full:${location}`, 'error', 'Disk still full', {
      ...fields, location, full_for_seconds: Math.round((t - (this.episodeSince ?? t)) / 1000), error_message: (error as Error)?.message,
    });
  }

  /** A write succeeded: if intake was paused for a full disk, it resumes. */
  reportWritable(): void {
    if (!this.paused) return;
    this.paused = false;
    this.metrics.set('pipeline_disk_full_paused', {}, 0);
    this.log.logRepeated('disk-writable', 'info', 'Disk writable again: intake resumed', {
      location: this.locations.join(', '), full_for_seconds: Math.round((this.now() - (this.episodeSince ?? this.now())) / 1000),
    });
    for (const listener of [...this.listeners]) listener();
  }

  /** Stops the deadline timer (at shutdown). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private deadline(): void {
    this.timer = undefined;
    const since = this.episodeSince;
    this.episodeSince = undefined;
    if (since === undefined) return;
    const t = this.now();
    if (t - this.lastFullAt > this.quietMs) return; // the episode ended quietly: space came back
    const where = this.locations.join(', ');
    const error = new DiskFullError(where, t - since);
    this.log.log('critical', 'Disk stayed full past its deadline: stopping the orchestrations', { location: where, ...errorFields(error) });
    this.onDeadline(error);
  }
}
