import 'reflect-metadata';
import { Minion, minion, step } from 'minions';
import { FaultInjectingStateStore, runMinion } from 'minions/testing';

class Ev { n = 0; payload: unknown = null; }
class Ctx { seen = 0; extra: unknown = null; }

@minion({ event: Ev, context: Ctx })
class Breaks extends Minion<Ev, Ctx> {
  @step async a() { this.context.seen = 1; }
  @step async b() { this.context.extra = { handler: () => 'not data' }; }
  @step async c() { this.context.seen = 3; }
}

describe('SEMANTICS 5: values that cannot be encoded', () => {
  it('mid-workflow: a SerializationError fails the workflow, not retryable, and removes its earlier checkpoint: it is terminal', async () => {
    const store = new FaultInjectingStateStore();
    const run = await runMinion({ minion: Breaks, events: [new Ev()], stateStore: store });
    expect(run.workflows[0].outcome).toBe('failed');
    expect((run.workflows[0].error as Error).name).toBe('SerializationError');
    expect((run.workflows[0].error as Error).message).toMatch(/context\.extra\.handler/);
    expect(store.counts.saves).toBe(3); // workflow_start, before a, before b (before c fails to encode)
    expect(store.counts.deletes).toBe(1);
    expect(await store.getAllContexts()).toEqual([]);
    expect(run.metrics.value('minion_workflow_persistence_failures_total', {
      minion_workflow_persistence_failure_stage: 'serialize', minion_workflow_persistence_retryable: 'false',
    })).toBe(1);
    expect(run.logger.findAll('Workflow persistence failed with non-retryable error')[0].fields).toMatchObject({
      persistence_point: 'before_step', step: 'c', suggestion: expect.stringMatching(/codec/),
    });
  });

  it('at the start: an event holding a function fails its workflow and persists nothing', async () => {
    const store = new FaultInjectingStateStore();
    const bad = Object.assign(new Ev(), { payload: Symbol('not data') });
    const run = await runMinion({ minion: Breaks, events: [bad], stateStore: store });
    expect(run.workflows[0].outcome).toBe('failed');
    expect(store.counts.saves).toBe(0);
    expect(await store.getAllContexts()).toEqual([]);
  });
});
