import { MetricContractError } from '../core/errors';
import { METRICS, type MetricKind } from '../core/metric-names';
import { Metrics } from '../core/ports/metrics';

/** Count and sum of a histogram's observations (seconds). */
export interface HistogramSummary {
  count: number;
  sum: number;
}

/** Everything {@link InMemoryMetrics} holds: per kind, per metric name, one entry per label set. */
export interface MetricsSnapshot {
  counter: Record<string, Array<{ labels: Record<string, string>; value: number }>>;
  gauge: Record<string, Array<{ labels: Record<string, string>; value: number }>>;
  histogram: Record<string, Array<{ labels: Record<string, string>; count: number; sum: number }>>;
}

/** Options of {@link InMemoryMetrics}. */
export interface InMemoryMetricsOptions {
  /**
   * Accept names missing from the `METRICS` table (user metrics). Their kind and label names are
   * fixed by their first use and checked afterwards. `false` makes any unknown name a violation.
   * Default `true`.
   */
  allowUnknown?: boolean;
}

interface Series {
  labels: Record<string, string>;
  value: number;
  count: number;
}

interface Family {
  kind: MetricKind;
  labelNames: readonly string[];
  series: Map<string, Series>;
}

const OPERATION: Record<MetricKind, string> = { counter: 'inc', gauge: 'set', histogram: 'observe' };

/**
 * A {@link Metrics} backend that keeps values in memory and enforces the metric contract, for tests.
 *
 * Every emission is checked against `METRICS` (`src/core/metric-names.ts`): the operation must fit
 * the kind (`inc` counter, `set` gauge, `observe` histogram), the label names must be exactly the
 * table's (no more, no fewer), label values strings, values finite (counters never decrease).
 * A violation is appended to {@link InMemoryMetrics.violations} and thrown as a MetricContractError
 * (`MINIONS_METRIC_CONTRACT`). The runtime swallows metric errors, so a test should assert
 * `expect(metrics.violations).toEqual([])` to catch contract breaks.
 */
export class InMemoryMetrics extends Metrics {
  /** One message per contract violation, oldest first. */
  readonly violations: string[] = [];
  private readonly families = new Map<string, Family>();
  private readonly allowUnknown: boolean;

  constructor(options: InMemoryMetricsOptions = {}) {
    super();
    this.allowUnknown = options.allowUnknown ?? true;
  }

  /**
   * Adds `value` (default 1) to a counter.
   * @throws MetricContractError (`MINIONS_METRIC_CONTRACT`) on a contract violation.
   */
  inc(name: string, labels: Record<string, string>, value = 1): void {
    if (!(value >= 0)) this.violate(`${name}: counter increment must be a number >= 0, got ${String(value)}`);
    this.series('counter', name, labels, value).value += value;
  }

  /**
   * Sets a gauge.
   * @throws MetricContractError (`MINIONS_METRIC_CONTRACT`) on a contract violation.
   */
  set(name: string, labels: Record<string, string>, value: number): void {
    this.series('gauge', name, labels, value).value = value;
  }

  /**
   * Records one observation, in seconds.
   * @throws MetricContractError (`MINIONS_METRIC_CONTRACT`) on a contract violation.
   */
  observe(name: string, labels: Record<string, string>, seconds: number): void {
    const series = this.series('histogram', name, labels, seconds);
    series.value += seconds;
    series.count += 1;
  }

  /**
   * The value of a counter or gauge, summed over every label set that matches `labels` (all label
   * sets when omitted; a partial `labels` matches on the names it gives). For a histogram,
   * `{ count, sum }` summed the same way. A metric never emitted gives 0 (`{ count: 0, sum: 0 }`
   * for a histogram of the table).
   * @throws MetricContractError (`MINIONS_METRIC_CONTRACT`) when `labels` names a label the metric does not have.
   */
  get(name: string, labels?: Record<string, string>): number | HistogramSummary {
    const kind = this.families.get(name)?.kind ?? METRICS[name]?.kind;
    let value = 0;
    let count = 0;
    for (const series of this.matching(name, labels)) {
      value += series.value;
      count += series.count;
    }
    return kind === 'histogram' ? { count, sum: value } : value;
  }

  /** {@link InMemoryMetrics.get} for a counter or gauge; throws for a histogram. */
  value(name: string, labels?: Record<string, string>): number {
    const result = this.get(name, labels);
    if (typeof result !== 'number') throw new MetricContractError(`${name} is a histogram: use histogram()`);
    return result;
  }

  /** {@link InMemoryMetrics.get} for a histogram; throws for a counter or gauge. */
  histogram(name: string, labels?: Record<string, string>): HistogramSummary {
    const result = this.get(name, labels);
    if (typeof result === 'number') throw new MetricContractError(`${name} is not a histogram: use value()`);
    return result;
  }

  /** Copies of every series, grouped by kind and name. */
  snapshot(): MetricsSnapshot {
    const out: MetricsSnapshot = { counter: {}, gauge: {}, histogram: {} };
    for (const [name, family] of this.families) {
      const entries = [...family.series.values()];
      if (family.kind === 'histogram') {
        out.histogram[name] = entries.map((s) => ({ labels: { ...s.labels }, count: s.count, sum: s.value }));
      } else {
        out[family.kind][name] = entries.map((s) => ({ labels: { ...s.labels }, value: s.value }));
      }
    }
    return out;
  }

  /** Forgets every value and violation. */
  reset(): void {
    this.families.clear();
    this.violations.length = 0;
  }

  private series(kind: MetricKind, name: string, labelsGiven: Record<string, string>, value: number): Series {
    const labels = labelsGiven ?? {};
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.violate(`${name}: value must be a finite number, got ${String(value)}`);
    }
    const family = this.family(kind, name, labels);
    const given = Object.keys(labels);
    const missing = family.labelNames.filter((label) => !given.includes(label));
    const extra = given.filter((label) => !family.labelNames.includes(label));
    if (missing.length > 0 || extra.length > 0) {
      this.violate(`${name}: labels must be exactly [${family.labelNames.join(', ')}]` +
        `${missing.length > 0 ? `; missing [${missing.join(', ')}]` : ''}${extra.length > 0 ? `; unexpected [${extra.join(', ')}]` : ''}`);
    }
    const nonString = family.labelNames.filter((label) => typeof labels[label] !== 'string');
    if (nonString.length > 0) this.violate(`${name}: label values must be strings: [${nonString.join(', ')}]`);

    const key = family.labelNames.map((label) => labels[label]).join('\u0000');
    let series = family.series.get(key);
    if (series === undefined) {
      const copy: Record<string, string> = {};
      for (const label of family.labelNames) copy[label] = labels[label]!;
      series = { labels: copy, value: 0, count: 0 };
      family.series.set(key, series);
    }
    return series;
  }

  private family(kind: MetricKind, name: string, labels: Record<string, string>): Family {
    let family = this.families.get(name);
    if (family === undefined) {
      const definition = METRICS[name];
      if (definition === undefined && !this.allowUnknown) this.violate(`${name}: not a metric of the METRICS table`);
      family = { kind: definition?.kind ?? kind, labelNames: definition?.labels ?? Object.keys(labels ?? {}), series: new Map() };
      if (family.kind === kind) this.families.set(name, family);
    }
    if (family.kind !== kind) {
      this.violate(`${name}: is a ${family.kind}, emitted with ${OPERATION[kind]}() (use ${OPERATION[family.kind]}())`);
    }
    return family;
  }

  private matching(name: string, labels?: Record<string, string>): Series[] {
    const family = this.families.get(name);
    const labelNames = family?.labelNames ?? METRICS[name]?.labels;
    if (labels !== undefined && labelNames !== undefined) {
      const unknown = Object.keys(labels).filter((label) => !labelNames.includes(label));
      if (unknown.length > 0) {
        throw new MetricContractError(`${name} has no label(s) [${unknown.join(', ')}]; its labels are [${labelNames.join(', ')}]`);
      }
    }
    if (family === undefined) return [];
    return [...family.series.values()].filter((series) =>
      labels === undefined || Object.entries(labels).every(([label, value]) => series.labels[label] === value));
  }

  private violate(message: string): never {
    this.violations.push(message);
    throw new MetricContractError(`Metric contract violation: ${message}`);
  }
}
