import { Dispatcher } from '../../../../src/core/fanout/dispatcher';
import { SubscriberBuffer } from '../../../../src/core/fanout/subscriber-buffer';
import type { WorkflowOutcome, WorkflowState } from '../../../../src/core/workflow/outcome';
import type { WorkflowRunner } from '../../../../src/core/workflow/workflow-runner';

/**
 * The dispatcher's seam: it calls `runner.run(state)` and nothing else. Each run stays in
 * flight until the test finishes it, so the test decides when room opens.
 */
class ControlledRunner {
  readonly started: string[] = [];
  running = 0;
  maxRunning = 0;
  private readonly open = new Map<string, () => void>();

  run(state: WorkflowState): Promise<WorkflowOutcome> {
    this.started.push(state.workflowId);
    this.running++;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    return new Promise((resolve) => this.open.set(state.workflowId, () => { this.running--; resolve('succeeded'); }));
  }

  /** Ends the run of `workflowId` and lets the dispatcher react to it. */
  async finish(workflowId: string): Promise<void> {
    const end = this.open.get(workflowId);
    if (!end) throw new Error(`${workflowId} is not running`);
    this.open.delete(workflowId);
    end();
    await turn();
  }

  get inFlight(): string[] {
    return [...this.open.keys()];
  }
}

/** Lets every queued promise callback run (one macrotask turn); a yield, not a sleep. */
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

const saved = (workflowId: string): WorkflowState => ({ workflowId, event: { saved: workflowId }, context: {}, nextIndex: 2, startedAt: 1, live: false });

function setup(maxInFlight: number, bufferSize = 100) {
  const runner = new ControlledRunner();
  const buffer = new SubscriberBuffer<string>(bufferSize);
  const dispatcher = new Dispatcher<string>(runner as unknown as WorkflowRunner, buffer, maxInFlight,
    (event) => ({ workflowId: `live:${event}`, event, context: {}, nextIndex: 0, startedAt: null, live: true }));
  return { runner, buffer, dispatcher };
}

/** Tracks whether a promise settled yet. */
function watch(p: Promise<unknown>): { readonly settled: boolean } {
  const box = { settled: false };
  void p.then(() => { box.settled = true; });
  return box;
}

describe('Dispatcher: order', () => {
  it('runs resumed workflows before any live event queued with them', async () => {
    const { runner, buffer, dispatcher } = setup(1);
    dispatcher.resume([saved('r1'), saved('r2')]);
    buffer.push('e1');
    buffer.push('e2');
    await turn(); // resumed work starts from the next turn
    expect(runner.started).toEqual(['r1']);
    await runner.finish('r1');
    await runner.finish('r2');
    await runner.finish('live:e1');
    await runner.finish('live:e2');
    expect(runner.started).toEqual(['r1', 'r2', 'live:e1', 'live:e2']);
  });

  it('runs workflows resumed while live events wait in the buffer before those events', async () => {
    const { runner, buffer, dispatcher } = setup(1);
    buffer.push('e1');
    buffer.push('e2');
    expect(runner.started).toEqual(['live:e1']);
    dispatcher.resume([saved('r1')]);
    await runner.finish('live:e1');
    expect(runner.started).toEqual(['live:e1', 'r1']);
    await runner.finish('r1');
    expect(runner.started).toEqual(['live:e1', 'r1', 'live:e2']);
  });

  it('hands the runner the resumed states as they were decoded', async () => {
    const runner = { run: jest.fn((_: WorkflowState) => new Promise<WorkflowOutcome>(() => {})) };
    const dispatcher = new Dispatcher<string>(runner as unknown as WorkflowRunner, new SubscriberBuffer<string>(4), 10, () => { throw new Error('no live event here'); });
    const states = [saved('r1'), saved('r2')];
    dispatcher.resume(states);
    await turn();
    expect(runner.run.mock.calls.map((c) => c[0])).toEqual(states);
    expect(runner.run.mock.calls[0][0]).toBe(states[0]);
  });
});

describe('Dispatcher: resumed work starts from the next turn', () => {
  it('starts nothing inside resume(), nor a live event pushed in the same turn; both start at the next turn, resumed first', async () => {
    const { runner, buffer, dispatcher } = setup(2);
    dispatcher.resume([saved('r1')]);
    buffer.push('e1');
    expect(runner.started).toEqual([]);
    await turn();
    expect(runner.started).toEqual(['r1', 'live:e1']);
  });
});

describe('Dispatcher: concurrency', () => {
  it('runs greedily up to maxInFlight and never more, starting the next one as each ends', async () => {
    const { runner, buffer, dispatcher } = setup(3);
    dispatcher.resume([saved('r1'), saved('r2')]);
    for (let i = 1; i <= 8; i++) buffer.push(`e${i}`);
    await turn();
    expect(runner.inFlight).toEqual(['r1', 'r2', 'live:e1']);
    expect(buffer.size).toBe(7);
    await runner.finish('r2');
    expect(runner.inFlight).toEqual(['r1', 'live:e1', 'live:e2']);
    while (runner.inFlight.length > 0) {
      expect(runner.running).toBeLessThanOrEqual(3);
      await runner.finish(runner.inFlight[0]);
    }
    expect(runner.started).toHaveLength(10);
    expect(runner.maxRunning).toBe(3);
    expect(buffer.size).toBe(0);
  });
});

describe('Dispatcher: whenIdle', () => {
  it('resolves only once the source ended, the buffer is empty and nothing runs', async () => {
    const { runner, buffer, dispatcher } = setup(1);
    buffer.push('e1');
    buffer.push('e2');
    const idle = watch(dispatcher.whenIdle());
    expect(dispatcher.idle).toBe(false);
    await runner.finish('live:e1');
    expect(idle.settled).toBe(false); // one event still buffered, now running
    buffer.end();
    await turn();
    expect(idle.settled).toBe(false); // the source ended, but e2 is running
    await runner.finish('live:e2');
    expect(idle.settled).toBe(true);
    expect(dispatcher.idle).toBe(true);
  });

  it('does not resolve while the source goes on, even with nothing buffered or running', async () => {
    const { runner, buffer, dispatcher } = setup(2);
    buffer.push('e1');
    const idle = watch(dispatcher.whenIdle());
    await runner.finish('live:e1');
    expect(idle.settled).toBe(false);
    buffer.end();
    await turn();
    expect(idle.settled).toBe(true);
  });

  it('does not resolve while resumed workflows are still queued', async () => {
    const { runner, buffer, dispatcher } = setup(1);
    buffer.end();
    dispatcher.resume([saved('r1'), saved('r2')]);
    const idle = watch(dispatcher.whenIdle());
    await turn();
    await runner.finish('r1');
    expect(idle.settled).toBe(false);
    await runner.finish('r2');
    expect(idle.settled).toBe(true);
  });

  it('does not count as idle while a resumed workflow waits unstarted (here, after close)', async () => {
    const { buffer, dispatcher } = setup(1);
    buffer.end();
    dispatcher.close();
    dispatcher.resume([saved('r1')]);
    expect(dispatcher.idle).toBe(false);
  });

  it('resolves at once when the source already ended with nothing to do', async () => {
    const { buffer, dispatcher } = setup(1);
    buffer.end();
    await expect(dispatcher.whenIdle()).resolves.toBeUndefined();
  });
});

describe('Dispatcher: close', () => {
  it('takes no more work after close(): neither buffered or later events nor resumed workflows start', async () => {
    const { runner, buffer, dispatcher } = setup(1);
    buffer.push('e1');
    buffer.push('e2');
    dispatcher.close();
    buffer.push('e3');
    dispatcher.resume([saved('r1')]);
    expect(runner.inFlight).toEqual(['live:e1']); // what runs keeps running
    await runner.finish('live:e1');
    expect(runner.started).toEqual(['live:e1']);
  });

  it('resolves every whenIdle() waiting, and any later one at once, when it closes', async () => {
    const { buffer, dispatcher } = setup(1);
    buffer.push('e1');
    const waiting = [watch(dispatcher.whenIdle()), watch(dispatcher.whenIdle())];
    await turn();
    expect(waiting.map((w) => w.settled)).toEqual([false, false]);
    dispatcher.close();
    await turn();
    expect(waiting.map((w) => w.settled)).toEqual([true, true]);
    await expect(dispatcher.whenIdle()).resolves.toBeUndefined();
  });
});
