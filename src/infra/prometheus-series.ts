/**
 * Cheap per-label-set accumulators in front of prom-client (internal to `src/infra`).
 *
 * prom-client hashes and validates the labels of every `inc`/`set`/`observe`, even on a label
 * child: about a microsecond per call, and the runtime makes some thirty calls per workflow. Here
 * an emission only adds to a number held by the series object (found once per labels object by
 * `LabelChildCache`); the totals are handed to prom-client when it collects (the `collect` hook of
 * each instrument, which runs on every scrape and every `registry.metrics()`/`get()`), so what a
 * scraper reads is exactly what was emitted.
 */
import type { Histogram } from 'prom-client';
import { InternalError, MetricContractError } from '../core/errors';

/** What an instrument (or one of its label children) can do. */
export interface Emitter {
  inc?(value: number): void;
  set?(value: number): void;
  observe?(value: number): void;
}

/** A series with emissions not yet handed to prom-client. */
interface Pending {
  flush(): void;
}

/** The series of one instrument that have something to hand over at the next collect. */
export class PendingSeries {
  private queue: Pending[] = [];

  add(series: Pending): void {
    this.queue.push(series);
  }

  /** Hands every pending total to prom-client; a failing series is skipped, the others still flush. */
  flush(onError: (error: unknown) => void): void {
    const queue = this.queue;
    this.queue = [];
    for (const series of queue) {
      try {
        series.flush();
      } catch (error) {
        onError(error);
      }
    }
  }
}

/** Counter series: increments add up until the next collect. */
export class CounterSeries implements Emitter, Pending {
  private pending = 0;
  private queued = false;

  constructor(private readonly child: { inc(value: number): void }, private readonly owner: PendingSeries) {}

  inc(value: number): void {
    if (!(value >= 0) || value === Number.POSITIVE_INFINITY) {
      throw new MetricContractError(`a counter can only be increased by a finite number >= 0, got ${String(value)}`);
    }
    this.pending += value;
    if (!this.queued) {
      this.queued = true;
      this.owner.add(this);
    }
  }

  flush(): void {
    this.queued = false;
    const value = this.pending;
    this.pending = 0;
    this.child.inc(value);
  }
}

/** Gauge series: the last value set wins. */
export class GaugeSeries implements Emitter, Pending {
  private value = 0;
  private queued = false;

  constructor(private readonly child: { set(value: number): void }, private readonly owner: PendingSeries) {}

  set(value: number): void {
    if (typeof value !== 'number') throw new MetricContractError(`a gauge value must be a number, got ${typeof value}`);
    this.value = value;
    if (!this.queued) {
      this.queued = true;
      this.owner.add(this);
    }
  }

  flush(): void {
    this.queued = false;
    this.child.set(this.value);
  }
}

/** The record prom-client (15.x) keeps per histogram series. */
interface HistogramEntry {
  labels: Record<string, string>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

/**
 * Histogram series: observations are counted per bucket (the same "first upper bound >= value"
 * rule as prom-client) and added to prom-client's record of the series at collect. prom-client
 * has no public call that adds counts in bulk, so this reaches its per-series record (created
 * with the public `zero(labels)`); `HistogramSeries.create` checks its shape and returns null when
 * it is not as expected, and the caller then observes through prom-client directly.
 */
export class HistogramSeries implements Emitter, Pending {
  private readonly counts: Float64Array;
  private sum = 0;
  private count = 0;
  private queued = false;
  private map: Record<string, HistogramEntry> | null = null;
  private key = '';
  private entry: HistogramEntry | null = null;

  private constructor(
    private readonly metric: Histogram,
    private readonly labels: Record<string, string>,
    private readonly bounds: readonly number[],
    private readonly owner: PendingSeries,
  ) {
    this.counts = new Float64Array(bounds.length);
  }

  /** A series for `labels` (a private copy the caller will not change), or null if prom-client's records are not as expected. */
  static create(metric: Histogram, labels: Record<string, string>, owner: PendingSeries): HistogramSeries | null {
    const bounds = (metric as unknown as { upperBounds?: unknown }).upperBounds;
    if (!Array.isArray(bounds) || !bounds.every((b) => typeof b === 'number')) return null;
    const series = new HistogramSeries(metric, labels, bounds as number[], owner);
    return series.locate() ? series : null;
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new MetricContractError(`a histogram observation must be a finite number, got ${String(value)}`);
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]) {
        this.counts[i]++;
        break;
      }
    }
    this.sum += value;
    this.count++;
    if (!this.queued) {
      this.queued = true;
      this.owner.add(this);
    }
  }

  flush(): void {
    this.queued = false;
    const current = (this.metric as unknown as { hashMap: Record<string, HistogramEntry> }).hashMap;
    if (current !== this.map || this.entry === null || current[this.key] !== this.entry) {
      if (!this.locate()) throw new InternalError("prom-client's histogram records are not as expected");
    }
    const entry = this.entry!;
    for (let i = 0; i < this.counts.length; i++) {
      if (this.counts[i] !== 0) {
        entry.bucketValues[this.bounds[i]] += this.counts[i];
        this.counts[i] = 0;
      }
    }
    entry.sum += this.sum;
    entry.count += this.count;
    this.sum = 0;
    this.count = 0;
  }

  /** Finds (creating it with `zero`) prom-client's record of this series. */
  private locate(): boolean {
    const metric = this.metric as unknown as { hashMap?: Record<string, HistogramEntry> };
    let key = this.findKey(metric.hashMap);
    if (key === null) {
      this.metric.zero(this.labels);
      key = this.findKey(metric.hashMap);
    }
    if (key === null) return false;
    const found = metric.hashMap![key];
    if (typeof found.sum !== 'number' || typeof found.count !== 'number' || typeof found.bucketValues !== 'object') return false;
    if (!this.bounds.every((b) => typeof found.bucketValues[b] === 'number')) return false;
    this.map = metric.hashMap!;
    this.key = key;
    this.entry = found;
    return true;
  }

  private findKey(map: Record<string, HistogramEntry> | undefined): string | null {
    if (map === null || typeof map !== 'object') return null;
    for (const key in map) {
      const entry = map[key];
      if (entry !== null && typeof entry === 'object' && sameLabels(entry.labels, this.labels)) return key;
    }
    return null;
  }
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return false;
  const keys = Object.keys(b);
  if (Object.keys(a).length !== keys.length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}
