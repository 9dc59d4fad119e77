import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  AbortWorkflow, Gru, InMemoryLogger, InvalidArgumentError, InvalidOptionError, Minion, OrchestrationNotFoundError, Pipeline,
  SqliteStateStore, WorkflowContextTypeMismatchError, WorkflowNotFoundError, decodeCheckpoint, minion, pipeline, step,
  type WorkflowOutcome,
} from 'minions';

class Ev { n = 0; }
class Ctx { prepared = ''; calls = 0; }

/** The step `call` throws while this is set: the module-level "bug" a fix removes. */
let broken = true;
/** What `call` saw at each run: the retry must start from the context before the step. */
const seen: Array<{ n: number; prepared: string; calls: number }> = [];
const finished: number[] = [];

@pipeline({ event: Ev })
class Events extends Pipeline<Ev> {
  static count = 1;
  async *events() { for (let n = 1; n <= Events.count; n++) yield Object.assign(new Ev(), { n }); }
}

@pipeline({ event: Ev })
class Nothing extends Pipeline<Ev> {
  async *events() { /* no live events: only saved workflows run */ }
}

const SHAKY_ID = '6d3f0a52-8b0e-4d7a-9c21-5e6f70a8b9c4';

@minion({ id: SHAKY_ID, event: Ev, context: Ctx })
class Shaky extends Minion<Ev, Ctx> {
  @step async prepare() { this.context.prepared = `n=${this.event.n}`; }
  @step async call() {
    this.context.calls++; // a half-done change: the retry must not see it
    seen.push({ n: this.event.n, prepared: this.context.prepared, calls: this.context.calls });
    if (broken) throw new TypeError(`upstream refused event ${this.event.n}`);
  }
  @step async done() { finished.push(this.event.n); }
}

@minion({ event: Ev, context: Ctx })
class Aborts extends Minion<Ev, Ctx> {
  @step async call() { throw new AbortWorkflow('not for us'); }
}

/**
 * The next version of Shaky (same file:Class address and id; two differently named classes
 * sharing an id are refused) with another step list: its kept workflows no longer fit.
 */
const ShakyRenamed = (() => {
  @minion({ id: SHAKY_ID, event: Ev, context: Ctx })
  class Shaky extends Minion<Ev, Ctx> {
    @step async prepare() {}
    @step async callAgain() {}
  }
  return Shaky;
})();

@minion({ event: Ev, context: Ctx })
class Unsaveable extends Minion<Ev, Ctx> {
  @step async one() { (this.context as unknown as { fn: () => number }).fn = () => 1; }
  @step async two() {}
}

/** A beforeStep hook that holds every step until the workflow's signal aborts (a stop). */
const holdUntilStopped = ({ signal }: { signal: AbortSignal }) =>
  new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('stopped'))));

interface Ended { workflowId: string; outcome: WorkflowOutcome }

describe('workflowFailurePolicy: kept failed workflows (quarantine)', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-quarantine-'));
    db = path.join(dir, 'state.db');
    broken = true;
    seen.length = 0;
    finished.length = 0;
    Events.count = 1;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A Gru on the test's SQLite file; `ended` collects outcomes, `next(n)` waits for the n-th. */
  async function open(workflowFailurePolicy?: 'delete' | 'keep', beforeStep?: (info: { signal: AbortSignal }) => Promise<void>, maxInFlight?: number) {
    const ended: Ended[] = [];
    const waiters: Array<() => void> = [];
    const logger = new InMemoryLogger();
    const gru = await Gru.create({
      stateStore: new SqliteStateStore({ path: db }), logger, metrics: null, workflowFailurePolicy, stopGraceMs: 0, maxInFlight,
      hooks: { beforeStep, workflowEnded: ({ workflowId, outcome }) => { ended.push({ workflowId, outcome }); for (const w of waiters.splice(0)) w(); } },
    });
    const next = (n: number) => new Promise<void>((resolve) => {
      const check = () => (ended.length >= n ? resolve() : waiters.push(check));
      check();
    });
    return { gru, ended, logger, next };
  }

  /** Runs one failing workflow under 'keep' and shuts the Gru down. */
  async function keepOneFailed(): Promise<{ workflowId: string; orchestrationId: string }> {
    const { gru, ended } = await open('keep');
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Events, minion: Shaky });
      await gru.whenIdle(orchestrationId);
      return { workflowId: ended[0].workflowId, orchestrationId };
    } finally {
      await gru.shutdown();
    }
  }

  it("workflowFailurePolicy keep: a failed workflow's checkpoint stays, marked failed with type, message and step", async () => {
    const { gru, ended, logger } = await open('keep');
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Events, minion: Shaky });
      await gru.whenIdle(orchestrationId);
      expect(ended.map((e) => e.outcome)).toEqual(['failed']);
      const [kept] = await gru.listWorkflows({ state: 'failed' });
      expect(kept).toEqual({
        workflowId: ended[0].workflowId, orchestrationId, minionId: SHAKY_ID, state: 'failed', nextStepIndex: 1, nextStepName: 'call',
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), error: { type: 'TypeError', message: 'upstream refused event 1', step: 'call' },
      });
      expect(await gru.listWorkflows({ state: 'pending' })).toEqual([]);
      const failedLine = logger.entries.find((e) => e.message === 'Workflow failed');
      expect(failedLine?.fields).toMatchObject({ workflow_id: ended[0].workflowId, kept: true });
    } finally {
      await gru.shutdown();
    }
    // The stored blob is the checkpoint taken before the failed step, plus the failure mark.
    const store = new SqliteStateStore({ path: db });
    await store.startup();
    try {
      const [row] = await store.getAllContexts();
      const env = decodeCheckpoint(row.context);
      expect(env.context).toEqual({ prepared: 'n=1', calls: 0 });
      expect(env.failure).toEqual({ type: 'TypeError', message: 'upstream refused event 1', step: 'call', at: expect.any(Number) });
    } finally {
      await store.shutdown();
    }
  });

  it.each([
    ['default delete removes a failed workflow', undefined, Shaky, 'failed'],
    ['an aborted workflow is not kept (AbortWorkflow is not a failure)', 'keep', Aborts, 'aborted'],
    ['a workflow failed by a SerializationError is not kept (its context cannot be saved)', 'keep', Unsaveable, 'failed'],
  ] as const)('%s', async (_title, policy, minionCls, outcome) => {
    const { gru, ended } = await open(policy);
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Events, minion: minionCls });
      await gru.whenIdle(orchestrationId);
      expect(ended.map((e) => e.outcome)).toEqual([outcome]);
      expect(await gru.listWorkflows()).toEqual([]);
    } finally {
      await gru.shutdown();
    }
  });

  it('kept failed workflows are never resumed on their own (restart of the Gru)', async () => {
    const { workflowId } = await keepOneFailed();
    broken = false;
    seen.length = 0;
    const { gru, logger } = await open('keep');
    try {
      // A changed step list would be a mismatch for a resumable workflow; a kept one is not counted.
      const other = await gru.startOrchestration({ pipeline: Nothing, minion: Shaky });
      expect(other.resumedWorkflows).toBe(0);
      await gru.whenIdle(other.orchestrationId);
      expect(seen).toEqual([]);
      const again = await gru.startOrchestration({ pipeline: Events, minion: Shaky });
      expect(again.resumedWorkflows).toBe(0);
      await gru.whenIdle(again.orchestrationId);
      expect((await gru.listWorkflows({ state: 'failed' })).map((w) => w.workflowId)).toEqual([workflowId]);
      expect(logger.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([]);
      expect(logger.entries.filter((e) => e.message === 'Kept failed workflows were not resumed').map((e) => e.fields?.kept_failed_workflows)).toEqual([1]);
    } finally {
      await gru.shutdown();
    }
  });

  it('a kept failed workflow is not a mismatch when the step list changed', async () => {
    await keepOneFailed();
    const { gru } = await open('keep');
    try {
      const started = await gru.startOrchestration({ pipeline: Events, minion: ShakyRenamed });
      expect(started.resumedWorkflows).toBe(0);
    } finally {
      await gru.shutdown();
    }
  });

  it('retryWorkflow runs a kept workflow from the failed step with the context it had before it, after the step was fixed; ends succeeded, checkpoint gone', async () => {
    const { workflowId } = await keepOneFailed();
    expect(seen).toEqual([{ n: 1, prepared: 'n=1', calls: 1 }]);
    broken = false;
    seen.length = 0;
    const { gru, ended, next } = await open('keep');
    try {
      Events.count = 0;
      await gru.startOrchestration({ pipeline: Events, minion: Shaky });
      await gru.retryWorkflow(workflowId);
      await next(1);
      expect(ended).toEqual([{ workflowId, outcome: 'succeeded' }]);
      // `prepare` did not run again (context from before `call`), and `calls` did not keep the failed try's change.
      expect(seen).toEqual([{ n: 1, prepared: 'n=1', calls: 1 }]);
      expect(finished).toEqual([1]);
      expect(await gru.listWorkflows()).toEqual([]);
    } finally {
      await gru.shutdown();
    }
  });

  it('a retry cut by a stop resumes at the next start like any unfinished workflow (the failure mark was removed first)', async () => {
    const { workflowId } = await keepOneFailed();
    broken = false;
    seen.length = 0;
    let held!: () => void;
    const retryHeld = new Promise<void>((r) => { held = r; });
    const first = await open('keep', (info) => { held(); return holdUntilStopped(info); });
    try {
      Events.count = 0;
      await first.gru.startOrchestration({ pipeline: Events, minion: Shaky });
      await first.gru.retryWorkflow(workflowId);
      await retryHeld; // the retried workflow runs (held before its step) when the stop comes
    } finally {
      await first.gru.shutdown();
    }
    expect(first.ended).toEqual([{ workflowId, outcome: 'interrupted' }]);
    const { gru, next, ended } = await open('keep');
    try {
      expect((await gru.startOrchestration({ pipeline: Events, minion: Shaky })).resumedWorkflows).toBe(1);
      await next(1);
      expect(ended).toEqual([{ workflowId, outcome: 'succeeded' }]);
      expect(seen).toEqual([{ n: 1, prepared: 'n=1', calls: 1 }]);
    } finally {
      await gru.shutdown();
    }
  });

  it('a retried workflow that fails again is kept again', async () => {
    const { workflowId } = await keepOneFailed();
    const { gru, ended, next } = await open('keep');
    try {
      Events.count = 0;
      await gru.startOrchestration({ pipeline: Events, minion: Shaky });
      await gru.retryWorkflow(workflowId);
      await next(1);
      expect(ended).toEqual([{ workflowId, outcome: 'failed' }]);
      expect(await gru.listWorkflows({ state: 'failed' })).toEqual([expect.objectContaining({ workflowId, state: 'failed', nextStepName: 'call' })]);
    } finally {
      await gru.shutdown();
    }
  });

  it('retry of a non-failed / unknown / not-running orchestration is refused with the named errors', async () => {
    const { workflowId, orchestrationId } = await keepOneFailed();
    broken = false;
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    const { gru, next } = await open('keep', () => gate);
    try {
      await expect(gru.retryWorkflow('no-such-workflow')).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(gru.retryWorkflow(workflowId)).rejects.toBeInstanceOf(OrchestrationNotFoundError);
      await expect(gru.retryWorkflow(workflowId)).rejects.toThrow(orchestrationId);
      Events.count = 0;
      await gru.startOrchestration({ pipeline: Events, minion: Shaky });
      await gru.retryWorkflow(workflowId);
      // Now it runs (held before its step): no longer a kept failed one.
      await expect(gru.retryWorkflow(workflowId)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(gru.retryWorkflow(workflowId)).rejects.toThrow(/not a failed workflow/);
      release();
      await next(1);
    } finally {
      release();
      await gru.shutdown();
    }
  });

  it('retry refuses a kept workflow that no longer fits the step list (WorkflowContextTypeMismatchError); nothing is changed', async () => {
    const { workflowId } = await keepOneFailed();
    const { gru } = await open('keep');
    try {
      Events.count = 0;
      await gru.startOrchestration({ pipeline: Events, minion: ShakyRenamed });
      await expect(gru.retryWorkflow(workflowId)).rejects.toBeInstanceOf(WorkflowContextTypeMismatchError);
      expect((await gru.listWorkflows({ state: 'failed' })).map((w) => w.workflowId)).toEqual([workflowId]);
    } finally {
      await gru.shutdown();
    }
  });

  it('deleteWorkflow removes a kept failed workflow', async () => {
    const { workflowId } = await keepOneFailed();
    const { gru } = await open('keep');
    try {
      await gru.deleteWorkflow(workflowId);
      expect(await gru.listWorkflows()).toEqual([]);
    } finally {
      await gru.shutdown();
    }
  });

  it('deleteWorkflow of a workflow queued behind maxInFlight withdraws it: it never runs', async () => {
    Events.count = 2;
    const failed = await open('keep');
    try {
      await failed.gru.whenIdle((await failed.gru.startOrchestration({ pipeline: Events, minion: Shaky })).orchestrationId);
    } finally {
      await failed.gru.shutdown();
    }
    const [first, second] = failed.ended.map((e) => e.workflowId);
    broken = false;
    seen.length = 0;
    let release!: () => void;
    const released = new Promise<void>((r) => { release = r; });
    let entered!: () => void;
    const firstRuns = new Promise<void>((r) => { entered = r; });
    let holding = true;
    const { gru, ended, next } = await open('keep', () => {
      if (!holding) return Promise.resolve();
      holding = false;
      entered();
      return released;
    }, 1);
    try {
      Events.count = 0;
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Events, minion: Shaky });
      await gru.retryWorkflow(first);
      await firstRuns; // holds the one slot
      await gru.retryWorkflow(second); // queued behind it
      expect((await gru.listWorkflows()).map((w) => [w.workflowId, w.state])).toEqual(
        expect.arrayContaining([[first, 'running'], [second, 'pending']]));
      await gru.deleteWorkflow(second);
      release();
      await next(1);
      await gru.whenIdle(orchestrationId);
      expect(ended).toEqual([{ workflowId: first, outcome: 'succeeded' }]);
      expect(seen).toHaveLength(1);
      expect(await gru.listWorkflows()).toEqual([]);
    } finally {
      await gru.shutdown();
    }
  });

  it('workflowFailurePolicy is validated', async () => {
    await expect(Gru.create({ workflowFailurePolicy: 'quarantine' as never, stateStore: null, metrics: null, logger: new InMemoryLogger() }))
      .rejects.toThrow(InvalidOptionError);
    await expect(Gru.create({ workflowFailurePolicy: 'quarantine' as never, stateStore: null, metrics: null, logger: new InMemoryLogger() }))
      .rejects.toThrow(/GruOptions\.workflowFailurePolicy/);
  });
});
