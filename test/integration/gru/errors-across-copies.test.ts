import 'reflect-metadata';
import { Gru, InMemoryLogger, InMemoryStateStore, Minion, Pipeline, minion, pipeline, step, type WorkflowOutcome } from 'minions';

type ErrorsModule = typeof import('../../../src/core/errors');

/**
 * A second copy of the errors module, as when a user's code resolves another installed copy of
 * the package (a nested node_modules, a bundled library) than the Gru running it.
 */
function otherCopy(): ErrorsModule {
  let copy: ErrorsModule | undefined;
  jest.isolateModules(() => { copy = require('../../../src/core/errors') as ErrorsModule; });
  return copy!;
}

class Ev { n = 0; }
class Ctx { n = 0; }

@pipeline({ event: Ev })
class Two extends Pipeline<Ev> {
  async *events() { for (let n = 1; n <= 2; n++) yield Object.assign(new Ev(), { n }); }
}

describe('the runner classifies errors by brand and code, not by which copy of the package made them', () => {
  let gru: Gru | undefined;
  afterEach(async () => { await gru?.shutdown(); gru = undefined; });

  it('an AbortWorkflow from another loaded copy of the package counts as aborted', async () => {
    const other = otherCopy();
    const ended: { outcome: WorkflowOutcome; error?: unknown }[] = [];
    @minion({ event: Ev, context: Ctx })
    class Skipper extends Minion<Ev, Ctx> {
      @step async check() { if (this.event.n === 1) throw new other.AbortWorkflow('below threshold'); }
      @step async after() { this.context.n = this.event.n; }
    }
    const logger = new InMemoryLogger();
    gru = await Gru.create({
      stateStore: null, metrics: null, logger,
      hooks: { workflowEnded: (info) => ended.push({ outcome: info.outcome, error: info.error }) },
    });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Two, minion: Skipper });
    await gru.whenIdle(orchestrationId);
    expect(ended.map((e) => e.outcome).sort()).toEqual(['aborted', 'succeeded']);
    expect(logger.entries.filter((e) => e.message === 'Workflow aborted')).toHaveLength(1);
    expect(logger.entries.filter((e) => e.message === 'Workflow failed')).toHaveLength(0);
  });

  it('a SerializationError from another loaded copy fails the workflow and removes its checkpoint, as one from this copy does', async () => {
    const other = otherCopy();
    const ended: WorkflowOutcome[] = [];
    @minion({ event: Ev, context: Ctx })
    class Thrower extends Minion<Ev, Ctx> {
      @step async only() { throw new other.SerializationError('context.fn', 'holds a function'); }
    }
    const store = new InMemoryStateStore();
    gru = await Gru.create({
      stateStore: store, metrics: null, logger: new InMemoryLogger(),
      hooks: { workflowEnded: (info) => ended.push(info.outcome) },
    });
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Two, minion: Thrower });
    await gru.whenIdle(orchestrationId);
    expect(ended).toEqual(['failed', 'failed']);
    expect(await store.getAllContexts()).toEqual([]);
  });
});
