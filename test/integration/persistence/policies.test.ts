import 'reflect-metadata';
import { Minion, OrchestrationStartError, minion, step } from 'minions';
import { FaultInjectingStateStore, runMinion } from 'minions/testing';

class Ev { n = 0; }
class Ctx { trail: string[] = []; }

@minion({ event: Ev, context: Ctx })
class ThreeSteps extends Minion<Ev, Ctx> {
  @step async a() { this.context.trail.push('a'); }
  @step async b() { this.context.trail.push('b'); }
  @step async c() { this.context.trail.push('c'); }
}

const ev = (n: number) => Object.assign(new Ev(), { n });
const fastRetry = { delayMs: 1, maxDelayMs: 4, jitterRatio: 0, warnEveryMs: 0 };

describe('SEMANTICS 5: persistence policies under injected faults', () => {
  it('a live 3-step workflow does 4 saves and 1 delete (REFERENCE P-01)', async () => {
    const store = new FaultInjectingStateStore();
    const run = await runMinion({ minion: ThreeSteps, events: [ev(1)], stateStore: store });
    expect(run.workflows.map((w) => w.outcome)).toEqual(['succeeded']);
    expect(store.counts).toMatchObject({ saves: 4, deletes: 1 });
    const attempts = (point: string) => run.metrics.value('minion_workflow_persistence_attempts_total', { minion_workflow_persistence_point: point });
    expect([attempts('workflow_start'), attempts('before_step'), attempts('workflow_resolve')]).toEqual([1, 3, 1]);
    expect(run.metrics.violations).toEqual([]);
  });

  it('continue-on-failure: failed saves are logged and counted, the steps run anyway, no retry', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(2);
    const run = await runMinion({ minion: ThreeSteps, events: [ev(1)], stateStore: store });
    expect(run.workflows[0]).toMatchObject({ outcome: 'succeeded', context: { trail: ['a', 'b', 'c'] } });
    expect(store.counts).toMatchObject({ saves: 4, failedSaves: 2, deletes: 1 });
    expect(run.logger.findAll('Workflow continuing after persistence failure')).toHaveLength(2);
    expect(run.metrics.value('minion_workflow_persistence_failures_total', {
      minion_workflow_persistence_failure_stage: 'save', minion_workflow_persistence_retryable: 'true',
      minion_workflow_persistence_policy: 'continue-on-failure',
    })).toBe(2);
  });

  it('idle-until-persisted: the workflow waits at the checkpoint and retries until the save succeeds', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(3);
    const run = await runMinion({
      minion: ThreeSteps, events: [ev(1)], stateStore: store,
      gruOptions: { workflowPersistenceFailurePolicy: 'idle-until-persisted', persistenceRetry: fastRetry },
    });
    expect(run.workflows[0].outcome).toBe('succeeded');
    expect(store.counts).toMatchObject({ saves: 4 + 3, failedSaves: 3, deletes: 1 });
    const waits = run.logger.findAll('Workflow idled waiting for persistence');
    expect(waits.length).toBeGreaterThanOrEqual(1);
    expect(waits[0].fields).toMatchObject({
      persistence_point: 'workflow_start', persistence_operation: 'save', persistence_failure_policy: 'idle-until-persisted',
      persistence_retry_attempts: 1, persistence_failure_stage: 'save', persistence_retryable: true,
      state_store: 'FaultInjectingStateStore', event_type: 'Ev', context_type: 'Ctx',
      suggestion: expect.stringMatching(/StateStore is available/),
    });
    expect(run.logger.findAll('Workflow persistence resumed')[0].fields).toMatchObject({ persistence_retry_attempts: 4 });
    expect(run.metrics.value('minion_workflow_persistence_blocked', { minion_workflow_persistence_point: 'workflow_start' })).toBe(0);
  });

  it('idle-until-persisted escalates its log from warn to error once errorAfterMs has passed', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(6);
    const run = await runMinion({
      minion: ThreeSteps, events: [ev(1)], stateStore: store,
      gruOptions: { workflowPersistenceFailurePolicy: 'idle-until-persisted', persistenceRetry: { ...fastRetry, errorAfterMs: 0 } },
    });
    expect(run.workflows[0].outcome).toBe('succeeded');
    const levels = run.logger.findAll('Workflow idled waiting for persistence').map((e) => e.level);
    expect(levels).toContain('error');
  });

  it.each(['continue-on-failure', 'idle-until-persisted'] as const)('%s: a terminal delete always waits until durable (P-06)', async (policy) => {
    const store = new FaultInjectingStateStore().failNextDeletes(2);
    const run = await runMinion({
      minion: ThreeSteps, events: [ev(1)], stateStore: store,
      gruOptions: { workflowPersistenceFailurePolicy: policy, persistenceRetry: fastRetry },
    });
    expect(run.workflows[0].outcome).toBe('succeeded');
    expect(store.counts).toMatchObject({ deletes: 3, failedDeletes: 2 });
    expect(await store.getAllContexts()).toEqual([]);
    const messages = run.logger.entries.map((e) => e.message);
    expect(messages.indexOf('Workflow idled waiting for checkpoint delete')).toBeLessThan(messages.indexOf('Workflow succeeded'));
    expect(messages).toContain('Workflow checkpoint delete resumed');
  });

  it('a store read failure fails the start (P-15) and nothing stays running', async () => {
    const store = new FaultInjectingStateStore().failReads(1);
    const err = await runMinion({ minion: ThreeSteps, events: [ev(1)], stateStore: store }).catch((e) => e);
    expect(err).toBeInstanceOf(OrchestrationStartError);
    expect((err.cause as Error).message).toBe('injected read failure');
  });
});
