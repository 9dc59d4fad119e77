import { Agent, request } from 'node:http';
import { Counter, Registry } from 'prom-client';
import { PrometheusMetrics } from '../../../src/infra/prometheus-metrics';

interface Reply {
  status: number;
  contentType: string | undefined;
  body: string;
}

function httpRequest(url: string, method = 'GET', agent?: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const WF = { minion: 'watcher-id', orchestration_id: 'orch-1' };

describe('PrometheusMetrics', () => {
  let stderr: jest.SpyInstance;
  const started: PrometheusMetrics[] = [];
  const stderrLines = (): string[] => stderr.mock.calls.map((call) => String(call[0]));
  async function start(options: ConstructorParameters<typeof PrometheusMetrics>[0] = {}): Promise<PrometheusMetrics> {
    const metrics = new PrometheusMetrics({ port: 0, ...options });
    started.push(metrics);
    await metrics.startup();
    return metrics;
  }

  beforeEach(() => {
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((m) => m.shutdown()));
    stderr.mockRestore();
  });

  it('serves the METRICS table names, label names and values at GET /metrics with the registry content type', async () => {
    const metrics = await start();
    expect(metrics.port).toBeGreaterThan(0);
    expect(metrics.url).toBe(`http://127.0.0.1:${metrics.port}/metrics`);

    metrics.inc('minion_workflow_started_total', WF);
    metrics.inc('minion_workflow_started_total', WF, 2);
    metrics.set('minion_workflow_inflight', WF, 5);
    metrics.observe('minion_workflow_duration_seconds', { ...WF, status: 'succeeded' }, 0.25);
    metrics.inc('pipeline_event_produced_total', { pipeline: 'ticks' });
    metrics.inc('resource_serves_total', {
      resource: 'api', resource_method: 'quote', resource_caller_kind: 'minion', resource_caller: 'watcher-id', orchestration_id: 'orch-1',
    });

    const reply = await httpRequest(metrics.url!);
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe(metrics.registry.contentType);
    expect(reply.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const body = reply.body;
    expect(body).toContain('# HELP minion_workflow_started_total Workflows started at step 0');
    expect(body).toContain('# TYPE minion_workflow_started_total counter');
    expect(body).toContain('minion_workflow_started_total{minion="watcher-id",orchestration_id="orch-1"} 3');
    expect(body).toContain('# TYPE minion_workflow_inflight gauge');
    expect(body).toContain('minion_workflow_inflight{minion="watcher-id",orchestration_id="orch-1"} 5');
    expect(body).toContain('# TYPE minion_workflow_duration_seconds histogram');
    expect(body).toContain('minion_workflow_duration_seconds_count{minion="watcher-id",orchestration_id="orch-1",status="succeeded"} 1');
    expect(body).toContain('minion_workflow_duration_seconds_sum{minion="watcher-id",orchestration_id="orch-1",status="succeeded"} 0.25');
    expect(body).toContain('pipeline_event_produced_total{pipeline="ticks"} 1');
    expect(body).toContain('resource_serves_total{resource="api",resource_method="quote",resource_caller_kind="minion",resource_caller="watcher-id",orchestration_id="orch-1"} 1');
    // label-less usage gauges and prom-client's default Node metrics
    const ratio = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(body)?.[1]);
    expect(ratio('process_memory_used_ratio')).toBeGreaterThan(0);
    expect(ratio('process_memory_used_ratio')).toBeLessThan(1);
    expect(ratio('system_memory_used_ratio')).toBeGreaterThan(0);
    expect(ratio('system_memory_used_ratio')).toBeLessThanOrEqual(1);
    expect(body).toContain('# TYPE process_cpu_used_ratio gauge');
    expect(body).toContain('# TYPE system_cpu_used_ratio gauge');
    expect(body).toContain('nodejs_heap_size_total_bytes');
    // prom-client's per-type handle gauges stay; their `_total` sums (gauges named like counters) are left out
    expect(body).toContain('# TYPE nodejs_active_handles gauge');
    expect(body).not.toMatch(/^# TYPE nodejs_active_(handles|requests|resources)_total /m);
    expect(stderrLines()).toEqual([]);
  });

  it('answers 404 to other paths and methods, and ignores a query string', async () => {
    const metrics = await start();
    const base = `http://127.0.0.1:${metrics.port}`;
    expect((await httpRequest(`${base}/`)).status).toBe(404);
    expect((await httpRequest(`${base}/metrics/extra`)).status).toBe(404);
    expect((await httpRequest(`${base}/metrics`, 'POST')).status).toBe(404);
    expect((await httpRequest(`${base}/metrics?name[]=x`)).status).toBe(200);
    const head = await httpRequest(`${base}/metrics`, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('runs two instances in one process without collisions, each with its own registry', async () => {
    const a = await start();
    const b = await start();
    expect(a.registry).not.toBe(b.registry);
    expect(a.port).not.toBe(b.port);
    a.inc('pipeline_event_produced_total', { pipeline: 'only-in-a' });
    b.inc('pipeline_event_produced_total', { pipeline: 'only-in-b' });
    const [bodyA, bodyB] = await Promise.all([httpRequest(a.url!), httpRequest(b.url!)]);
    expect(bodyA.body).toContain('pipeline="only-in-a"');
    expect(bodyA.body).not.toContain('only-in-b');
    expect(bodyB.body).toContain('pipeline="only-in-b"');
    expect(bodyB.body).not.toContain('only-in-a');
    expect(stderrLines()).toEqual([]);
  });

  it('reports a taken port once on stderr instead of throwing, and keeps collecting', async () => {
    const first = await start();
    const second = await start({ port: first.port });
    expect(second.port).toBeUndefined();
    expect(second.url).toBeUndefined();
    const lines = stderrLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`[PrometheusMetrics] could not listen on 127.0.0.1:${first.port}: `);
    expect(lines[0]).toContain('EADDRINUSE');
    second.inc('pipeline_event_produced_total', { pipeline: 'still-counted' });
    expect(await second.registry.metrics()).toContain('pipeline_event_produced_total{pipeline="still-counted"} 1');
    await second.shutdown(); // nothing to close: still fine
  });

  it('never throws from inc/set/observe, and reports each kind of failure at most once a minute', async () => {
    const metrics = new PrometheusMetrics({ port: 0 });
    for (let i = 0; i < 50; i++) {
      expect(() => metrics.inc('pipeline_event_produced_total', { pipeline: 'p' }, -1)).not.toThrow();
      expect(() => metrics.set('pipeline_event_produced_total', { pipeline: 'p' }, 1)).not.toThrow();
      expect(() => metrics.inc('pipeline_error_total', { pipeline: 'p', error_type: 'E', extra: 'x' })).not.toThrow();
    }
    const lines = stderrLines();
    expect(lines).toHaveLength(3);
    expect(lines.join('')).toMatch(/inc\('pipeline_event_produced_total'\) failed/);
    expect(lines.join('')).toMatch(/set\('pipeline_event_produced_total'\) failed: MetricContractError: pipeline_event_produced_total is a counter, not a gauge/);
    expect(lines.join('')).toMatch(/inc\('pipeline_error_total'\) failed/);
  });

  it('creates an unknown metric from its first labels and warns once', async () => {
    const metrics = new PrometheusMetrics({ port: 0 });
    metrics.inc('my_custom_total', { shop: 'a' });
    metrics.inc('my_custom_total', { shop: 'b' }, 4);
    const warnings = stderrLines().filter((line) => line.includes("unknown metric 'my_custom_total'"));
    expect(warnings).toHaveLength(1);
    expect(await metrics.registry.metrics()).toContain('my_custom_total{shop="b"} 4');
  });

  it('asks prom-client for a label child only once per label set, caching by object and by values', async () => {
    const labelsSpy = jest.spyOn(Counter.prototype, 'labels');
    try {
      const metrics = new PrometheusMetrics({ port: 0 });
      const labels = { ...WF };
      for (let i = 0; i < 100; i++) metrics.inc('minion_workflow_succeeded_total', labels);
      expect(labelsSpy).toHaveBeenCalledTimes(1);
      metrics.inc('minion_workflow_succeeded_total', { ...WF }); // a fresh object, known values
      expect(labelsSpy).toHaveBeenCalledTimes(1);
      metrics.inc('minion_workflow_succeeded_total', { ...WF, orchestration_id: 'orch-2' });
      expect(labelsSpy).toHaveBeenCalledTimes(2);
      labels.orchestration_id = 'orch-2'; // a mutated object is noticed, not served a stale child
      metrics.inc('minion_workflow_succeeded_total', labels);
      const body = await metrics.registry.metrics();
      expect(body).toContain('minion_workflow_succeeded_total{minion="watcher-id",orchestration_id="orch-1"} 101');
      expect(body).toContain('minion_workflow_succeeded_total{minion="watcher-id",orchestration_id="orch-2"} 2');
    } finally {
      labelsSpy.mockRestore();
    }
  });

  it('closes the server at shutdown, even with a keep-alive scraper connected, and can start again', async () => {
    const metrics = await start();
    const agent = new Agent({ keepAlive: true });
    try {
      const url = metrics.url!;
      expect((await httpRequest(url, 'GET', agent)).status).toBe(200);
      await metrics.shutdown();
      await metrics.shutdown(); // idempotent
      expect(metrics.url).toBeUndefined();
      await expect(httpRequest(url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      await metrics.startup();
      expect((await httpRequest(metrics.url!)).status).toBe(200);
    } finally {
      agent.destroy();
    }
  });

  it('shares a given registry with another instance without duplicate registrations', async () => {
    const registry = new Registry();
    const a = await start({ registry, defaultMetrics: true });
    const b = await start({ registry, defaultMetrics: false });
    a.inc('pipeline_event_produced_total', { pipeline: 'p' });
    b.inc('pipeline_event_produced_total', { pipeline: 'p' });
    expect(await registry.metrics()).toContain('pipeline_event_produced_total{pipeline="p"} 2');
    expect(stderrLines()).toEqual([]);
  });

  it('refuses invalid options', () => {
    expect(() => new PrometheusMetrics({ port: 70000 })).toThrow(/port/);
    expect(() => new PrometheusMetrics({ sampleIntervalMs: 1 })).toThrow(/sampleIntervalMs/);
    const defaults = new PrometheusMetrics();
    expect(defaults).toMatchObject({ host: '127.0.0.1', requestedPort: 8081, sampleIntervalMs: 5000 });
    expect(defaults.port).toBeUndefined();
  });
});
