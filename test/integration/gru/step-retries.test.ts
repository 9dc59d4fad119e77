import 'reflect-metadata';
import {
  AbortWorkflow, Gru, InMemoryLogger, InMemoryMetrics, InvalidComponentError, Minion, Pipeline, minion, pipeline, step,
  type WorkflowOutcome,
} from 'minions';

class Ev { n = 0; }
class Ctx { tries = 0; notes: string[] = []; }

@pipeline({ event: Ev })
class One extends Pipeline<Ev> {
  async *events() { yield Object.assign(new Ev(), { n: 1 }); }
}

const FAST = { delayMs: 1, maxDelayMs: 5, jitterRatio: 0 };
let calls = 0;

@minion({ event: Ev, context: Ctx })
class Flaky extends Minion<Ev, Ctx> {
  @step({ retry: { attempts: 3, ...FAST } })
  async call() {
    calls++;
    this.context.notes.push(`try ${calls}`); // a half-done change the retry must not keep
    if (calls < 3) throw new Error(`upstream 503 (call ${calls})`);
  }
  @step async done() { this.context.tries = calls; }
}

@minion({ event: Ev, context: Ctx })
class AlwaysFails extends Minion<Ev, Ctx> {
  @step({ retry: { attempts: 2, ...FAST } })
  async call() { calls++; throw new Error('still down'); }
}

@minion({ event: Ev, context: Ctx })
class Aborts extends Minion<Ev, Ctx> {
  @step({ retry: { attempts: 5, ...FAST } })
  async call() { calls++; throw new AbortWorkflow('not for us'); }
}

@minion({ event: Ev, context: Ctx })
class Filtered extends Minion<Ev, Ctx> {
  @step({ retry: { attempts: 5, ...FAST, retryable: (e) => !(e instanceof TypeError) } })
  async call() { calls++; throw new TypeError('a bug, not an outage'); }
}

async function run(minionCls: Function) {
  const outcomes: Array<{ outcome: WorkflowOutcome; context: Ctx }> = [];
  const logger = new InMemoryLogger();
  const metrics = new InMemoryMetrics();
  const gru = await Gru.create({
    stateStore: null, logger, metrics,
    hooks: { workflowEnded: ({ outcome, context }) => outcomes.push({ outcome, context: context as Ctx }) },
  });
  try {
    const { orchestrationId } = await gru.startOrchestration({ pipeline: One, minion: minionCls as typeof Flaky });
    await gru.whenIdle(orchestrationId);
  } finally {
    await gru.shutdown();
  }
  return { outcomes, logger, metrics };
}

describe('step retries: @step({ retry })', () => {
  beforeEach(() => { calls = 0; });

  it('a throwing step is tried again with backoff, on the context as it was before the step, and the tries are counted', async () => {
    const { outcomes, logger, metrics } = await run(Flaky);
    expect(outcomes.map((o) => o.outcome)).toEqual(['succeeded']);
    expect(calls).toBe(3);
    expect(outcomes[0].context.notes).toEqual(['try 3']);
    expect(outcomes[0].context.tries).toBe(3);
    expect(metrics.value('minion_workflow_step_retries_total', { minion_workflow_step: 'call' })).toBe(2);
    const lines = logger.entries.filter((e) => e.message === 'Workflow Step failed; retrying');
    expect(lines.map((l) => [l.fields?.attempt, l.fields?.attempts])).toEqual([[1, 3], [2, 3]]);
    expect(lines[0].fields?.error_message).toBe('upstream 503 (call 1)');
  });

  it('after the last try the workflow fails with the last error', async () => {
    const { outcomes, metrics } = await run(AlwaysFails);
    expect(outcomes.map((o) => o.outcome)).toEqual(['failed']);
    expect(calls).toBe(2);
    expect(metrics.value('minion_workflow_step_retries_total')).toBe(1);
  });

  it('AbortWorkflow is never retried', async () => {
    const { outcomes } = await run(Aborts);
    expect(outcomes.map((o) => o.outcome)).toEqual(['aborted']);
    expect(calls).toBe(1);
  });

  it('retryable(error) decides which errors are tried again', async () => {
    const { outcomes } = await run(Filtered);
    expect(outcomes.map((o) => o.outcome)).toEqual(['failed']);
    expect(calls).toBe(1);
  });

  it('a malformed retry option is refused when the class is declared, naming the class, the step and the field', () => {
    expect(() => {
      class Bad extends Minion<Ev, Ctx> {
        @step({ retry: { attempts: 0 } }) async call() {}
      }
      return Bad;
    }).toThrow(InvalidComponentError);
    expect(() => {
      class Bad2 extends Minion<Ev, Ctx> {
        @step({ retry: { delayMs: -1 } }) async call() {}
      }
      return Bad2;
    }).toThrow(/Bad2\.call: @step\(\{ retry: \{ delayMs \} \}\) must be a number of milliseconds >= 0, got -1/);
  });
});
