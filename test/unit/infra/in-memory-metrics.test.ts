import { InMemoryMetrics } from '../../../src/infra/in-memory-metrics';
import { MetricContractError } from '../../../src/core/errors';

const WF = { minion: 'm', orchestration_id: 'o1' };

describe('InMemoryMetrics', () => {
  it('adds counters, sets gauges and summarizes histograms', () => {
    const metrics = new InMemoryMetrics();
    metrics.inc('minion_workflow_started_total', WF);
    metrics.inc('minion_workflow_started_total', WF, 2);
    metrics.set('minion_workflow_inflight', WF, 4);
    metrics.set('minion_workflow_inflight', WF, 1);
    metrics.observe('minion_workflow_duration_seconds', { ...WF, status: 'succeeded' }, 0.5);
    metrics.observe('minion_workflow_duration_seconds', { ...WF, status: 'failed' }, 1.5);
    metrics.set('process_memory_used_ratio', {}, 0.125);

    expect(metrics.get('minion_workflow_started_total', WF)).toBe(3);
    expect(metrics.value('minion_workflow_inflight', WF)).toBe(1);
    expect(metrics.get('minion_workflow_duration_seconds')).toEqual({ count: 2, sum: 2 });
    expect(metrics.histogram('minion_workflow_duration_seconds', { status: 'failed' })).toEqual({ count: 1, sum: 1.5 });
    expect(metrics.value('process_memory_used_ratio')).toBe(0.125);
    expect(metrics.violations).toEqual([]);
  });

  it('sums over the label sets that match a partial label filter, and gives 0 for nothing', () => {
    const metrics = new InMemoryMetrics();
    metrics.inc('minion_workflow_failed_total', { ...WF, error_type: 'TypeError' });
    metrics.inc('minion_workflow_failed_total', { ...WF, error_type: 'RangeError' }, 2);
    metrics.inc('minion_workflow_failed_total', { minion: 'm', orchestration_id: 'o2', error_type: 'TypeError' });
    expect(metrics.get('minion_workflow_failed_total')).toBe(4);
    expect(metrics.get('minion_workflow_failed_total', { orchestration_id: 'o1' })).toBe(3);
    expect(metrics.get('minion_workflow_failed_total', { error_type: 'TypeError' })).toBe(2);
    expect(metrics.get('minion_workflow_failed_total', { orchestration_id: 'none' })).toBe(0);
    expect(metrics.get('minion_workflow_aborted_total')).toBe(0);
    expect(metrics.get('resource_latency_seconds')).toEqual({ count: 0, sum: 0 });
  });

  it('throws and records a violation for missing, extra or non-string labels', () => {
    const metrics = new InMemoryMetrics();
    expect(() => metrics.inc('minion_workflow_started_total', { minion: 'm' })).toThrow(/missing \[orchestration_id\]/);
    expect(() => metrics.inc('minion_workflow_started_total', { ...WF, step: 'x' })).toThrow(/unexpected \[step\]/);
    expect(() => metrics.inc('minion_workflow_started_total', { ...WF, orchestration_id: 7 as unknown as string }))
      .toThrow(/label values must be strings/);
    expect(() => metrics.set('process_cpu_used_ratio', { host: 'a' }, 1)).toThrow(/labels must be exactly \[\]/);
    expect(metrics.violations).toHaveLength(4);
    expect(metrics.get('minion_workflow_started_total')).toBe(0);
  });

  it('throws for an operation that does not fit the kind, a negative increment or a non-finite value', () => {
    const metrics = new InMemoryMetrics();
    expect(() => metrics.set('minion_workflow_started_total', WF, 1)).toThrow(/is a counter, emitted with set\(\)/);
    expect(() => metrics.observe('minion_workflow_inflight', WF, 1)).toThrow(/use set\(\)/);
    expect(() => metrics.inc('minion_workflow_started_total', WF, -1)).toThrow(/>= 0/);
    expect(() => metrics.set('minion_workflow_inflight', WF, Number.NaN)).toThrow(/finite/);
    expect(metrics.violations).toHaveLength(4);
  });

  it('carries the MINIONS_METRIC_CONTRACT code', () => {
    const metrics = new InMemoryMetrics();
    let caught: unknown;
    try {
      metrics.inc('pipeline_event_produced_total', {});
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'MINIONS_METRIC_CONTRACT' });
  });

  it('fixes an unknown metric by its first use, or refuses it when allowUnknown is false', () => {
    const lenient = new InMemoryMetrics();
    lenient.inc('my_total', { shop: 'a' });
    expect(() => lenient.inc('my_total', { region: 'x' })).toThrow(/labels must be exactly \[shop\]/);
    expect(() => lenient.set('my_total', { shop: 'a' }, 1)).toThrow(/is a counter/);
    expect(lenient.get('my_total', { shop: 'a' })).toBe(1);

    const strict = new InMemoryMetrics({ allowUnknown: false });
    expect(() => strict.inc('my_total', {})).toThrow(/not a metric of the METRICS table/);
  });

  it('refuses a read filter naming a label the metric does not have', () => {
    const metrics = new InMemoryMetrics();
    expect(() => metrics.get('minion_workflow_started_total', { minion_id: 'm' })).toThrow(/has no label\(s\) \[minion_id\]/);
    expect(() => metrics.value('minion_workflow_duration_seconds')).toThrow(MetricContractError);
    expect(() => metrics.histogram('minion_workflow_started_total')).toThrow(/is not a histogram: use value\(\)/);
  });

  it('snapshots every series by kind, and resets', () => {
    const metrics = new InMemoryMetrics();
    const labels = { pipeline: 'p' };
    metrics.inc('pipeline_event_produced_total', labels, 2);
    labels.pipeline = 'mutated'; // stored labels are copies
    metrics.set('minion_workflow_inflight', WF, 3);
    metrics.observe('resource_latency_seconds', {
      resource: 'r', resource_method: 'get', resource_caller_kind: 'minion', resource_caller: 'm', orchestration_id: 'o1',
    }, 0.1);
    expect(metrics.snapshot()).toEqual({
      counter: { pipeline_event_produced_total: [{ labels: { pipeline: 'p' }, value: 2 }] },
      gauge: { minion_workflow_inflight: [{ labels: WF, value: 3 }] },
      histogram: {
        resource_latency_seconds: [{
          labels: { resource: 'r', resource_method: 'get', resource_caller_kind: 'minion', resource_caller: 'm', orchestration_id: 'o1' },
          count: 1, sum: 0.1,
        }],
      },
    });
    metrics.reset();
    expect(metrics.snapshot()).toEqual({ counter: {}, gauge: {}, histogram: {} });
  });
});
