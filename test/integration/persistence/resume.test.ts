import 'reflect-metadata';
import { Gru, InMemoryLogger, InMemoryStateStore, Minion, Pipeline, WorkflowContextTypeMismatchError, minion, pipeline, step } from 'minions';
import { runMinion } from 'minions/testing';
import { Tally } from '../../support/events';

class Ev { n = 0; }
class Ctx { trail: string[] = []; stamp = new Date(0); }
const ID = '55555555-5555-4555-8555-555555555555';
const ran: string[] = [];

@minion({ id: ID, event: Ev, context: Ctx })
class Original extends Minion<Ev, Ctx> {
  @step async first() { ran.push('first'); this.context.trail.push('first'); this.context.stamp = new Date(86_400_000); }
  @step async second() { ran.push('second'); this.context.trail.push(`second@${this.context.stamp.toISOString().slice(0, 10)}`); }
}

const ev = (n: number) => Object.assign(new Ev(), { n });

describe('SEMANTICS 5: resume hardening', () => {
  beforeEach(() => { ran.length = 0; });

  it('a workflow interrupted between two steps resumes at the saved step, context and Dates intact', async () => {
    const first = await runMinion({ minion: Original, events: [ev(1), ev(2)], interruptBefore: 'second' });
    expect(first.workflows.map((w) => w.outcome)).toEqual(['interrupted', 'interrupted']);
    expect(await first.store.getAllContexts()).toHaveLength(2);
    ran.length = 0;
    const second = await runMinion({ minion: Original, stateStore: first.store });
    expect(second.resumedWorkflows).toBe(2);
    expect(ran).toEqual(['second', 'second']);
    expect(second.workflows.map((w) => w.context)).toEqual([
      expect.objectContaining({ trail: ['first', 'second@1970-01-02'] }), expect.objectContaining({ trail: ['first', 'second@1970-01-02'] }),
    ]);
    expect(second.logger.findAll('Workflow resumed')).toHaveLength(2);
    expect(await second.store.getAllContexts()).toEqual([]);
  });

  it('a resumed workflow does not write the checkpoint it was decoded from again; the next checkpoints are written', async () => {
    @minion({ id: '55555555-5555-4555-8555-555555555556', event: Ev, context: Ctx })
    class ThreeSteps extends Minion<Ev, Ctx> {
      @step async one() { this.context.trail.push('one'); }
      @step async two() { this.context.trail.push('two'); }
      @step async three() { this.context.trail.push('three'); }
    }
    const first = await runMinion({ minion: ThreeSteps, events: [ev(1)], interruptBefore: 'two' });
    const store = first.store;
    const saves: string[] = [];
    const save = store.saveContext.bind(store);
    store.saveContext = (workflowId, orchestrationId, blob) => { saves.push(workflowId); return save(workflowId, orchestrationId, blob); };
    const second = await runMinion({ minion: ThreeSteps, stateStore: store });
    expect(second.resumedWorkflows).toBe(1);
    expect(second.workflows[0].context).toMatchObject({ trail: ['one', 'two', 'three'] });
    expect(saves).toHaveLength(1); // before `three` only: the row saved before `two` is the one resumed
    expect(await store.getAllContexts()).toEqual([]);
  });

  it('a changed step list fails the start with WorkflowContextTypeMismatchError, count and remedy, changing nothing', async () => {
    const first = await runMinion({ minion: Original, events: [ev(1), ev(2), ev(3)], interruptBefore: 'second' });
    // The next version of Original, with the same file:Class address. (Two differently named
    // classes sharing one id would be refused as duplicates, SEMANTICS 2.)
    const Reordered = (() => {
      @minion({ id: ID, event: Ev, context: Ctx })
      class Original extends Minion<Ev, Ctx> {
        @step async second() {}
        @step async first() {}
      }
      return Original;
    })();
    const err = await runMinion({ minion: Reordered, stateStore: first.store }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowContextTypeMismatchError);
    expect(err.count).toBe(3);
    expect(err.message).toMatch(/step list/);
    expect(err.message).toMatch(/Nothing was changed/);
    expect(await first.store.getAllContexts()).toHaveLength(3);
  });

  it('a context that no longer fits the class fails the start the same way', async () => {
    const first = await runMinion({ minion: Original, events: [ev(1)], interruptBefore: 'second' });
    class NewCtx { trail = 0; stamp = new Date(0); }
    const Retyped = (() => {
      @minion({ id: ID, event: Ev, context: NewCtx })
      class Original extends Minion<Ev, NewCtx> { // the next version, as above
        @step async first() {}
        @step async second() {}
      }
      return Original;
    })();
    const err = await runMinion({ minion: Retyped, stateStore: first.store }).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowContextTypeMismatchError);
    expect(err.message).toMatch(/trail/);
  });

  it('a row that cannot be decoded at all is logged and skipped; the start goes on', async () => {
    const first = await runMinion({ minion: Original, events: [ev(1)], interruptBefore: 'second' });
    await first.store.startup?.();
    await first.store.saveContext('garbage', first.orchestrationId, Uint8Array.from([0xc1, 0xff, 0x00]));
    const second = await runMinion({ minion: Original, stateStore: first.store });
    expect(second.resumedWorkflows).toBe(1);
    expect(second.logger.findAll('StateStore failed to decode stored workflow context')[0].fields).toMatchObject({ workflow_id: 'garbage' });
    expect((await second.store.getAllContexts()).map((r) => r.workflowId)).toEqual(['garbage']);
  });

  it('no workflow id runs twice in a process: an abandoned workflow is not resumed while its code still runs', async () => {
    let release!: () => void;
    const hold = new Promise<void>((r) => { release = r; });
    const waiting = new Tally();
    @pipeline({ event: Ev })
    class One extends Pipeline<Ev> { async *events() { yield ev(1); } }
    @minion({ event: Ev, context: Ctx })
    class Stubborn extends Minion<Ev, Ctx> {
      @step async wait() { ran.push('wait'); waiting.mark(); await hold; }
      @step async after() { ran.push('after'); }
    }
    const store = new InMemoryStateStore();
    const logger = new InMemoryLogger();
    const gru = await Gru.create({ stateStore: store, logger, metrics: null, stopGraceMs: 5, cancelTimeoutMs: 5 });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: One, minion: Stubborn });
      await waiting.reached(1);
      expect((await gru.stopOrchestration(orchestrationId)).unfinishedWorkflows).toBe(1);
      const again = await gru.startOrchestration({ pipeline: One, minion: Stubborn });
      expect(again.resumedWorkflows).toBe(0);
      expect(logger.findAll('Saved workflows still running in this process were not resumed twice')).toHaveLength(1);
      await waiting.reached(2); // the new live event
    } finally {
      release();
      await gru.shutdown();
    }
  });
});
