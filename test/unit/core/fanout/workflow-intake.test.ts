import { WorkflowIntake } from '../../../../src/core/fanout/workflow-intake';
import type { WorkflowOutcome, WorkflowState } from '../../../../src/core/workflow/outcome';
import type { WorkflowRunner } from '../../../../src/core/workflow/workflow-runner';

/** The intake's seam is `runner.run(state)`: each run stays in flight until the test ends it. */
class ControlledRunner {
  readonly states: WorkflowState[] = [];
  private readonly open: Array<() => void> = [];

  run(state: WorkflowState): Promise<WorkflowOutcome> {
    this.states.push(state);
    return new Promise((resolve) => this.open.push(() => resolve('succeeded')));
  }

  get running(): number {
    return this.open.length;
  }

  /** Ends the oldest run and lets the intake react. */
  async finishOldest(): Promise<void> {
    this.open.shift()!();
    await new Promise((r) => setImmediate(r));
  }
}

class Ctx {
  seen: string[] = [];
}

function setup(maxInFlight = 10, bufferSize = 8) {
  const runner = new ControlledRunner();
  const intake = new WorkflowIntake<{ n: number }>(runner as unknown as WorkflowRunner, { bufferSize, overflowPolicy: 'error', maxInFlight }, Ctx);
  return { runner, intake };
}

describe('WorkflowIntake', () => {
  it('gives each live event a fresh workflow id and a fresh context instance, starting at step 0', () => {
    const { runner, intake } = setup();
    const events = [{ n: 1 }, { n: 2 }, { n: 3 }];
    for (const e of events) intake.buffer.push(e);
    expect(runner.states).toHaveLength(3);
    runner.states.forEach((s, i) => {
      expect(s.event).toBe(events[i]);
      expect(s.workflowId).toMatch(/^[0-9a-f]{32}$/);
      expect(s.context).toBeInstanceOf(Ctx);
      expect(s.context).toEqual(new Ctx());
      expect(s).toMatchObject({ nextIndex: 0, startedAt: null, live: true });
    });
    expect(new Set(runner.states.map((s) => s.workflowId)).size).toBe(3);
    expect(new Set(runner.states.map((s) => s.context)).size).toBe(3);
  });

  it('gives a fresh context even to the same event object delivered twice', () => {
    const { runner, intake } = setup();
    const event = { n: 1 };
    intake.buffer.push(event);
    intake.buffer.push(event);
    const [a, b] = runner.states;
    expect(a.context).not.toBe(b.context);
    expect(a.workflowId).not.toBe(b.workflowId);
  });

  it('runs resumed workflows before live events, up to maxInFlight, and counts the events waiting', async () => {
    const { runner, intake } = setup(2);
    const resumed: WorkflowState[] = ['r1', 'r2'].map((workflowId) => ({ workflowId, event: { n: 0 }, context: new Ctx(), nextIndex: 1, startedAt: 5, live: false }));
    intake.resume(resumed);
    intake.buffer.push({ n: 1 });
    intake.buffer.push({ n: 2 });
    await new Promise((r) => setImmediate(r)); // resumed work starts from the next turn
    expect(runner.states).toEqual(resumed);
    expect(intake.bufferedEvents).toBe(2);
    await runner.finishOldest();
    expect(runner.running).toBe(2);
    expect(runner.states[2].event).toEqual({ n: 1 });
    expect(intake.bufferedEvents).toBe(1);
  });

  it('builds its buffer with the configured size and overflow policy', () => {
    const { intake } = setup(1, 3);
    expect(intake.buffer.capacity).toBe(3);
    expect(intake.buffer.policy).toBe('error');
  });

  it('resolves whenIdle once the source ended and every workflow finished', async () => {
    const { runner, intake } = setup();
    intake.buffer.push({ n: 1 });
    let idle = false;
    void intake.whenIdle().then(() => { idle = true; });
    intake.buffer.end();
    await new Promise((r) => setImmediate(r));
    expect(idle).toBe(false);
    await runner.finishOldest();
    expect(idle).toBe(true);
  });

  it('takes no more work after close(), and its whenIdle resolves', async () => {
    const { runner, intake } = setup(1);
    intake.buffer.push({ n: 1 });
    intake.buffer.push({ n: 2 });
    const idle = intake.whenIdle();
    intake.close();
    await idle;
    await runner.finishOldest();
    expect(runner.states).toHaveLength(1);
    expect(intake.bufferedEvents).toBe(1);
  });
});
