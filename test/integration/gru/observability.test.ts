import 'reflect-metadata';
import * as http from 'node:http';
import {
  AbortWorkflow, Gru, InMemoryLogger, METRICS, Minion, Pipeline, PrometheusMetrics, Resource, minion, pipeline, resource, step,
} from 'minions';

class Ev { n = 0; }
class Ctx { n = 0; }

@pipeline({ event: Ev })
class Four extends Pipeline<Ev> {
  async *events() { for (let n = 1; n <= 4; n++) yield Object.assign(new Ev(), { n }); }
}

@resource()
class Scorer extends Resource {
  async score(n: number) { if (n === 4) throw new RangeError('four'); return n; }
}

@minion({ event: Ev, context: Ctx })
class Scored extends Minion<Ev, Ctx> {
  constructor(readonly scorer: Scorer) { super(); }
  @step async score() { this.context.n = await this.scorer.score(this.event.n); }
  @step async decide() { if (this.event.n === 3) throw new AbortWorkflow('three'); }
}

function scrape(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      let body = '';
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

describe('SEMANTICS 8 and 9: metrics and logs', () => {
  it('a real HTTP scrape of /metrics shows workflow, step, persistence, pipeline and resource metrics with their labels', async () => {
    const metrics = new PrometheusMetrics({ port: 0 });
    const gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics, admin: false });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Four, minion: Scored });
      await gru.whenIdle(orchestrationId);
      const { status, type, body } = await scrape(`${metrics.url}`);
      expect(status).toBe(200);
      expect(type).toMatch(/text\/plain/);
      const line = (name: string) => body.split('\n').find((l) => l.startsWith(name + '{') && l.includes(orchestrationId)) ?? '';
      expect(line('minion_workflow_started_total')).toMatch(/ 4$/);
      expect(line('minion_workflow_succeeded_total')).toMatch(/ 2$/);
      expect(line('minion_workflow_aborted_total')).toMatch(/ 1$/);
      expect(line('minion_workflow_failed_total')).toContain('error_type="RangeError"');
      expect(line('minion_workflow_step_started_total')).toContain('minion_workflow_step="score"');
      expect(line('minion_workflow_persistence_attempts_total')).toContain('minion_workflow_persistence_point=');
      expect(line('minion_workflow_persistence_attempts_total')).toContain('state_store="NoOpStateStore"');
      expect(body).toMatch(/pipeline_event_produced_total\{pipeline="[^"]*:Four"\} 4/);
      expect(line('pipeline_event_fanout_total')).toMatch(/ 4$/);
      const serves = line('resource_serves_total');
      expect(serves).toContain('resource_method="score"');
      expect(serves).toContain('resource_caller_kind="minion"');
      expect(serves).toMatch(/resource_caller="[^"]*:Scored"/);
      expect(line('resource_error_total')).toContain('error_type="RangeError"');
      for (const name of Object.keys(METRICS).filter((n) => n.startsWith('minion_workflow_') && !n.includes('persistence_blocked') && !n.includes('persistence_failures') && n !== 'minion_workflow_step_retries_total')) {
        expect(body).toContain(name);
      }
      expect(body).toContain('process_cpu_user_seconds_total'); // prom-client default Node metrics
    } finally {
      await gru.shutdown();
    }
  });

  it('every workflow log line carries the orchestration identities and the workflow id', async () => {
    const logger = new InMemoryLogger();
    const gru = await Gru.create({ stateStore: null, logger, metrics: null });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Four, minion: Scored });
      await gru.whenIdle(orchestrationId);
      const lines = logger.entries.filter((e) => e.message.startsWith('Workflow'));
      expect(lines.map((l) => l.message)).toEqual(expect.arrayContaining(['Workflow started', 'Workflow succeeded', 'Workflow aborted', 'Workflow failed', 'Workflow Step failed']));
      for (const l of lines) {
        expect(l.fields).toMatchObject({ orchestration_id: orchestrationId, minion_id: expect.any(String), pipeline_id: expect.any(String), minion_config_id: '' });
        expect(String(l.fields?.workflow_id)).toMatch(/^[0-9a-f]{32}$/);
      }
      const failed = lines.find((l) => l.message === 'Workflow failed');
      expect(failed?.fields).toMatchObject({ error_type: 'RangeError', error_message: 'four', stack: expect.stringContaining('RangeError') });
      const resourceFailure = logger.entries.find((e) => e.message === 'Resource method failed');
      expect(resourceFailure?.fields?.args).toEqual(['number']); // by type, never by value
    } finally {
      await gru.shutdown();
    }
  });
});
