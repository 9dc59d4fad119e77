import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { METRICS } from '../../../src/core/metric-names';
import { PrometheusMetrics } from '../../../src/infra/prometheus-metrics';

/** The same metric in a plain prom-client registry, fed directly (the reference). */
function reference(name: string): { registry: Registry; metric: Counter | Gauge | Histogram } {
  const def = METRICS[name];
  const registry = new Registry();
  const config = { name, help: def.help, labelNames: [...def.labels], registers: [registry] };
  const metric = def.kind === 'counter' ? new Counter(config) : def.kind === 'gauge' ? new Gauge(config) : new Histogram(config);
  return { registry, metric };
}

const A = { minion: 'm', orchestration_id: 'o1' };
const B = { minion: 'm', orchestration_id: 'o2' };
const STEP = { minion: 'm', orchestration_id: 'o1', minion_workflow_step: 'one', status: 'succeeded' };

describe('PrometheusMetrics accumulators (handed to prom-client at collect)', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    expect(stderr).not.toHaveBeenCalled();
    stderr.mockRestore();
  });

  it('exposes counters exactly as prom-client fed call by call does, across several collects', async () => {
    const fast = new PrometheusMetrics({ port: 0, defaultMetrics: false });
    const ref = reference('minion_workflow_succeeded_total');
    const name = 'minion_workflow_succeeded_total';
    const labelsA = { ...A };
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 250; i++) {
        fast.inc(name, labelsA);
        (ref.metric as Counter).inc(A);
        if (i % 7 === 0) {
          fast.inc(name, { ...B }, 2.5);
          (ref.metric as Counter).inc(B, 2.5);
        }
      }
      expect(await fast.registry.getSingleMetricAsString(name)).toBe(await ref.registry.getSingleMetricAsString(name));
    }
  });

  it('exposes gauges with the last value set', async () => {
    const fast = new PrometheusMetrics({ port: 0, defaultMetrics: false });
    const ref = reference('minion_workflow_inflight');
    const name = 'minion_workflow_inflight';
    for (const v of [1, 5, 3, 0, 7]) {
      fast.set(name, A, v);
      (ref.metric as Gauge).set(A, v);
      if (v === 3) expect(await fast.registry.getSingleMetricAsString(name)).toBe(await ref.registry.getSingleMetricAsString(name));
    }
    fast.set(name, B, -2);
    (ref.metric as Gauge).set(B, -2);
    expect(await fast.registry.getSingleMetricAsString(name)).toBe(await ref.registry.getSingleMetricAsString(name));
  });

  it('exposes histograms bucket by bucket, sum and count, including values past the last bound and the -1 sentinel', async () => {
    const fast = new PrometheusMetrics({ port: 0, defaultMetrics: false });
    const name = 'minion_workflow_step_duration_seconds';
    const ref = reference(name);
    const values = [-1, 0, 0.001, 0.005, 0.0051, 0.02, 0.3, 1, 2.5, 9.99, 10, 11, 1000];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40; i++) {
        const v = values[i % values.length] * (1 + round);
        fast.observe(name, STEP, v);
        (ref.metric as Histogram).observe(STEP, v);
      }
      expect(await fast.registry.getSingleMetricAsString(name)).toBe(await ref.registry.getSingleMetricAsString(name));
    }
    const json = await fast.registry.getMetricsAsJSON();
    expect(json.find((m) => m.name === name)?.values.length).toBe(14); // 11 buckets and +Inf, sum, count
  });

  it('keeps counting after the registry is reset', async () => {
    const fast = new PrometheusMetrics({ port: 0, defaultMetrics: false });
    fast.inc('minion_workflow_started_total', A);
    fast.observe('minion_workflow_duration_seconds', { ...A, status: 'succeeded' }, 0.2);
    await fast.registry.metrics();
    fast.registry.resetMetrics();
    fast.inc('minion_workflow_started_total', A, 3);
    fast.observe('minion_workflow_duration_seconds', { ...A, status: 'succeeded' }, 0.2);
    const body = await fast.registry.metrics();
    expect(body).toContain('minion_workflow_started_total{minion="m",orchestration_id="o1"} 3');
    expect(body).toContain('minion_workflow_duration_seconds_count{minion="m",orchestration_id="o1",status="succeeded"} 1');
  });

  it('refuses, at emission, what prom-client refuses: a negative or non-finite increment, a non-finite observation, an unknown label', async () => {
    const fast = new PrometheusMetrics({ port: 0, defaultMetrics: false });
    fast.inc('minion_workflow_started_total', A);
    fast.inc('minion_workflow_started_total', A, -1);
    fast.inc('minion_workflow_failed_total', { ...A, error_type: 'E' }, Number.NaN);
    fast.observe('minion_workflow_duration_seconds', { ...A, status: 'failed' }, Number.POSITIVE_INFINITY);
    fast.inc('minion_workflow_succeeded_total', { ...A, extra: 'x' });
    const lines = stderr.mock.calls.map((c) => String(c[0])).join('');
    stderr.mockClear();
    expect(lines).toMatch(/inc\('minion_workflow_started_total'\) failed/);
    expect(lines).toMatch(/inc\('minion_workflow_failed_total'\) failed/);
    expect(lines).toMatch(/observe\('minion_workflow_duration_seconds'\) failed/);
    expect(lines).toMatch(/inc\('minion_workflow_succeeded_total'\) failed: MetricContractError: Added label "extra"/);
    expect(await fast.registry.metrics()).toContain('minion_workflow_started_total{minion="m",orchestration_id="o1"} 1');
  });
});
