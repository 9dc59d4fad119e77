import type { StatusBody } from '../../../src/cli/admin/admin-types';
import { statusReport } from '../../../src/cli/admin/status-report';
import { workflowsReport } from '../../../src/cli/admin/workflows-report';

const NOW = Date.parse('2026-01-01T00:10:00.000Z');

const STATUS: StatusBody = {
  orchestrations: [{
    orchestrationId: 'o-1', minionId: 'm', pipelineId: 'p', configId: 'c', minionClass: 'PriceWatcher', pipelineClass: 'Ticks',
    state: 'running', inflightWorkflows: 2, bufferedEvents: 5, droppedEvents: 1, resumedWorkflows: 3, startedAt: '2026-01-01T00:07:00.000Z', error: null,
  }, {
    orchestrationId: 'o-2', minionId: 'm2', pipelineId: 'p', configId: 'c', minionClass: 'Broken', pipelineClass: 'Ticks',
    state: 'failed', inflightWorkflows: 0, bufferedEvents: 0, droppedEvents: 0, resumedWorkflows: 0, startedAt: null, error: { type: 'RunReturnedError', message: 'run() returned' },
  }],
  pipelines: [{ identity: 'p', className: 'Ticks', subscribers: 2, ended: false }],
  resources: [{ identity: 'r-db', className: 'Db', refs: 1, dependsOn: [] }, { identity: 'r-cache', className: 'Cache', refs: 2, dependsOn: ['r-db', 'r-gone'] }],
  ready: { ready: false, reasons: ['orchestration o-2 is failed'] },
  process: { pid: 42, uptimeSeconds: 75, rssBytes: 3 * 1024 * 1024, nodeVersion: 'v20.1.0' },
};

describe('minions status / workflows text', () => {
  it('prints orchestrations, failures, pipelines, resources with their dependencies by class, readiness and the process', () => {
    expect(statusReport(STATUS, NOW)).toEqual([
      'ORCHESTRATION  MINION        PIPELINE  STATE    IN-FLIGHT  BUFFERED  DROPPED  RESUMED  UP',
      'o-1            PriceWatcher  Ticks     running  2          5         1        3        3m00s',
      'o-2            Broken        Ticks     failed   0          0         0        0        -',
      'Orchestration o-2 failed: RunReturnedError: run() returned',
      '',
      'PIPELINE  CLASS  SUBSCRIBERS  ENDED',
      'p         Ticks  2            no',
      '',
      'RESOURCE  CLASS  REFS  DEPENDS ON',
      'r-db      Db     1     -',
      'r-cache   Cache  2     Db, r-gone',
      '',
      'Ready: no: orchestration o-2 is failed',
      'Process: pid 42, up 1m15s, rss 3.0 MiB, node v20.1.0',
    ]);
  });

  it('says when nothing runs', () => {
    const empty = statusReport({ ...STATUS, orchestrations: [], pipelines: [], resources: [], ready: { ready: true, reasons: [] } }, NOW);
    expect(empty.slice(0, 6)).toEqual(['No orchestrations.', '', 'No pipelines.', '', 'No resources.', '']);
    expect(empty[6]).toBe('Ready: yes');
  });

  it('lists workflows with their next step and age, then failed ones\' errors and the count', () => {
    expect(workflowsReport([
      { workflowId: 'w-1', orchestrationId: 'o-1', minionId: 'm', state: 'running', nextStepIndex: 1, nextStepName: 'two', startedAt: '2026-01-01T00:09:15.000Z', error: null },
      { workflowId: 'w-2', orchestrationId: 'o-1', minionId: 'm', state: 'failed', nextStepIndex: 0, nextStepName: 'one', startedAt: null, error: { type: 'Error', message: 'boom', step: 'one' } },
    ], NOW)).toEqual([
      'WORKFLOW  ORCHESTRATION  STATE    NEXT STEP  AGE',
      'w-1       o-1            running  two (#1)   45s',
      'w-2       o-1            failed   one (#0)   -',
      '',
      'Workflow w-2 failed in step one: Error: boom',
      '',
      '2 saved workflow(s)',
    ]);
    expect(workflowsReport([], NOW)).toEqual(['No saved workflows.']);
  });
});
