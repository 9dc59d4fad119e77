import 'reflect-metadata';
import {
  AbortWorkflow, Gru, InMemoryLogger, InMemoryMetrics, InMemoryStateStore, Minion, Pipeline, StateStore, minion, pipeline, step,
} from 'minions';

class Num { n = 0; }
class Trail { seen: string[] = []; }

const calls: string[] = [];

@pipeline({ event: Num })
class Three extends Pipeline<Num> {
  async *events() { for (let n = 1; n <= 3; n++) yield Object.assign(new Num(), { n }); }
}

abstract class BaseSteps extends Minion<Num, Trail> {
  @step async first() { this.context.seen.push('first'); calls.push(`first:${this.event.n}`); }
}

@minion({ event: Num, context: Trail })
class Ordered extends BaseSteps {
  @step async second() { this.context.seen.push('second'); calls.push(`second:${this.event.n}`); }
  @step async third() {
    calls.push(`third:${this.event.n}:${this.context.seen.join(',')}`);
    if (this.event.n === 2) throw new AbortWorkflow('two is skipped');
    if (this.event.n === 3) throw new TypeError('three breaks');
  }
}

/** Counts store calls: the double sits exactly on the seam under test. */
class CountingStore extends InMemoryStateStore {
  saves = 0;
  deletes = 0;
  override async saveContext(w: string, o: string, b: Uint8Array) { this.saves++; return super.saveContext(w, o, b); }
  override async deleteContext(w: string) { this.deletes++; return super.deleteContext(w); }
}

describe('SEMANTICS 4: workflows', () => {
  let gru: Gru | undefined;
  afterEach(async () => { await gru?.shutdown(); gru = undefined; calls.length = 0; });

  it('steps run in order, base class steps first, sharing one context per workflow', async () => {
    const store = new CountingStore();
    const metrics = new InMemoryMetrics();
    gru = await Gru.create({ stateStore: store, logger: new InMemoryLogger(), metrics });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Ordered });
    await gru.whenIdle(orchestrationId);
    for (const n of [1, 2, 3]) {
      const mine = calls.filter((c) => c.endsWith(`:${n}`) || c.includes(`:${n}:`));
      expect(mine).toEqual([`first:${n}`, `second:${n}`, `third:${n}:first,second`]);
    }
  });

  it('outcomes: succeeded, aborted (AbortWorkflow) and failed are terminal and delete the checkpoint', async () => {
    const store = new CountingStore();
    const metrics = new InMemoryMetrics();
    const logger = new InMemoryLogger();
    gru = await Gru.create({ stateStore: store, logger, metrics });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Ordered });
    await gru.whenIdle(orchestrationId);
    const labels = { orchestration_id: orchestrationId };
    expect(metrics.get('minion_workflow_started_total', labels)).toBe(3);
    expect(metrics.get('minion_workflow_succeeded_total', labels)).toBe(1);
    expect(metrics.get('minion_workflow_aborted_total', labels)).toBe(1);
    expect(metrics.get('minion_workflow_failed_total', { ...labels, error_type: 'TypeError' })).toBe(1);
    expect(await store.getAllContexts()).toEqual([]);
    expect(metrics.violations).toEqual([]);
    const failed = logger.entries.find((e) => e.message === 'Workflow Step failed');
    expect(failed?.fields).toMatchObject({ step: 'third', error_type: 'TypeError', orchestration_id: orchestrationId });
    expect(String(failed?.fields?.filepath)).toContain('workflows.test.ts');
  });

  it('an abort is logged once: one "Workflow aborted" line at debug with step, step_index and reason; the step metric stays', async () => {
    const metrics = new InMemoryMetrics();
    const logger = new InMemoryLogger();
    gru = await Gru.create({ stateStore: new InMemoryStateStore(), logger, metrics });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Ordered });
    await gru.whenIdle(orchestrationId);
    const aborts = logger.entries.filter((e) => /aborted/i.test(e.message));
    expect(aborts.map((e) => [e.level, e.message])).toEqual([['debug', 'Workflow aborted']]);
    expect(aborts[0].fields).toMatchObject({ orchestration_id: orchestrationId, step: 'third', step_index: 2, reason: 'two is skipped' });
    expect(metrics.get('minion_workflow_step_aborted_total', { orchestration_id: orchestrationId, minion_workflow_step: 'third' })).toBe(1);
    expect(metrics.get('minion_workflow_aborted_total', { orchestration_id: orchestrationId })).toBe(1);
  });

  it('SEMANTICS 5: a live N-step workflow does N+1 saves and 1 delete', async () => {
    const store = new CountingStore();
    gru = await Gru.create({ stateStore: store, logger: new InMemoryLogger(), metrics: null });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Ordered });
    await gru.whenIdle(orchestrationId);
    expect(store.saves).toBe(3 * (3 + 1));
    expect(store.deletes).toBe(3);
  });

  it('this.event and this.context throw outside a workflow', () => {
    const m = new Ordered();
    expect(() => m.event).toThrow(/only inside a @step/);
    expect(() => m.context).toThrow(/only inside a @step/);
  });

  it('events reach the minion deep-frozen', async () => {
    let frozen: boolean | undefined;
    class Deep { inner = { v: 1 }; }
    @pipeline({ event: Deep })
    class One extends Pipeline<Deep> { async *events() { yield new Deep(); } }
    @minion({ event: Deep, context: Trail })
    class Check extends Minion<Deep, Trail> {
      @step async look() { frozen = Object.isFrozen(this.event) && Object.isFrozen(this.event.inner); }
    }
    gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: One, minion: Check });
    await gru.whenIdle(orchestrationId);
    expect(frozen).toBe(true);
  });

  it('a step calling another step is refused and fails the workflow', async () => {
    const logger = new InMemoryLogger();
    @minion({ event: Num, context: Trail })
    class Nested extends Minion<Num, Trail> {
      @step async a() { await this.b(); }
      @step async b() { /* only the runtime may call it */ }
    }
    gru = await Gru.create({ stateStore: null, logger, metrics: null });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Nested });
    await gru.whenIdle(orchestrationId);
    const failures = logger.entries.filter((e) => e.message === 'Workflow Step failed');
    expect(failures).toHaveLength(3);
    expect(String(failures[0].fields?.error_message)).toMatch(/cannot be called from within step a/);
    expect(failures[0].fields?.error_type).toBe('StepCalledFromStepError');
  });

  it('StateStore is injectable by its abstract class', async () => {
    let got: unknown;
    const store = new InMemoryStateStore();
    @minion({ event: Num, context: Trail })
    class Injected extends Minion<Num, Trail> {
      constructor(s: StateStore) { super(); got = s; }
      @step async a() {}
    }
    gru = await Gru.create({ stateStore: store, logger: new InMemoryLogger(), metrics: null });
    await gru.startOrchestration({ pipeline: Three, minion: Injected });
    expect(got).toBe(store);
  });
});

describe('SEMANTICS 5: with no store, values are still checked', () => {
  it('stateStore: null still refuses an unpersistable context at its checkpoint, and counts the attempts', async () => {
    class Loose { n = 0; extra: unknown = null; }
    @minion({ event: Num, context: Loose })
    class Sloppy extends Minion<Num, Loose> {
      @step async a() { this.context.extra = () => 'not data'; }
      @step async b() {}
    }
    const metrics = new InMemoryMetrics();
    const logger = new InMemoryLogger();
    const gru = await Gru.create({ stateStore: null, logger, metrics });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Sloppy });
      await gru.whenIdle(orchestrationId);
      expect(metrics.value('minion_workflow_failed_total', { error_type: 'SerializationError' })).toBe(3);
      // Per workflow: workflow_start and before a succeed, before b fails to encode, then the terminal delete.
      expect(metrics.value('minion_workflow_persistence_succeeded_total', { state_store: 'NoOpStateStore' })).toBe(3 * 3);
      expect(metrics.value('minion_workflow_persistence_succeeded_total', { minion_workflow_persistence_point: 'workflow_resolve' })).toBe(3);
    } finally {
      await gru.shutdown();
    }
  });
});
