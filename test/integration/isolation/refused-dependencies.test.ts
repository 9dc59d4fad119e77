/**
 * Rule: an isolated resource's constructor may take only other isolated resources and plain
 * config: an in-process object cannot cross the boundary, so the start is refused, naming why.
 */
import 'reflect-metadata';
import { Gru, InvalidComponentError, Minion, NoOpLogger, Pipeline, Resource, minion, pipeline, resource, step } from 'minions';
import { IsolationDriver } from '../../support/isolation-driver';

jest.setTimeout(120_000);

it('a compiled isolated resource whose constructor takes an in-process resource is refused at start', async () => {
  const driver = new IsolationDriver('refused');
  try {
    const refused = await driver.next('refused');
    expect(refused).not.toBeNull();
    expect(refused).toMatchObject({ name: 'InvalidComponentError', code: 'MINIONS_INVALID_COMPONENT' });
    expect(refused.message).toBe('Isolated resource NeedsInProcess (worker) constructor parameter #0: InProcessCache is an in-process ' +
      'resource, and an in-process object cannot cross the boundary to a worker thread. Isolate InProcessCache too ' +
      "(@resource({ isolation: 'worker' })), or pass plain config and build what NeedsInProcess needs inside it.");
    const { states, resources } = await driver.ask({ states: true }, 'states');
    expect(states).toEqual([]);
    expect(resources).toEqual([]); // nothing it would have started is left running
  } finally {
    await driver.close();
  }
});

class Ev { n = 0; }
class Ctx { done = false; }

@pipeline({ event: Ev })
class Nothing extends Pipeline<Ev> {
  async *events() { /* no events */ }
}

@resource()
class Local extends Resource {
  async get(): Promise<number> { return 1; }
}

@resource({ isolation: 'process' })
class OnLocal extends Resource {
  constructor(readonly local: Local) { super(); }
  async get(): Promise<number> { return this.local.get(); }
}

@resource({ isolation: 'worker' })
class Alone extends Resource {
  async get(): Promise<number> { return 2; }
}

@minion({ event: Ev, context: Ctx })
class UsesOnLocal extends Minion<Ev, Ctx> {
  constructor(readonly r: OnLocal) { super(); }
  @step async s() {}
}

@minion({ event: Ev, context: Ctx })
class UsesAlone extends Minion<Ev, Ctx> {
  constructor(readonly r: Alone) { super(); }
  @step async s() {}
}

describe('refused before anything starts, with the reason', () => {
  let gru: Gru;
  beforeEach(async () => { gru = await Gru.create({ stateStore: null, logger: new NoOpLogger(), metrics: null }); });
  afterEach(() => gru.shutdown());

  it('a process-isolated resource taking an in-process resource names the class, the parameter and the fix', async () => {
    const error = await gru.startOrchestration({ pipeline: Nothing, minion: UsesOnLocal }).catch((e: unknown) => e) as InvalidComponentError;
    expect(error).toBeInstanceOf(InvalidComponentError);
    expect(error.message).toMatch(/^Isolated resource OnLocal \(process\) constructor parameter #0: Local is an in-process resource, and an in-process object cannot cross the boundary to a child process\./);
    expect(gru.snapshot().resources).toEqual([]);
  });

  it('an isolated resource run from TypeScript sources (no compiled host) says to run the build', async () => {
    const error = await gru.startOrchestration({ pipeline: Nothing, minion: UsesAlone }).catch((e: unknown) => e) as InvalidComponentError;
    expect(error).toBeInstanceOf(InvalidComponentError);
    expect(error.message).toMatch(/^Isolated resource Alone \(worker\): the host .*worker-host\.js is missing\. Isolated resources run from compiled JavaScript/);
  });
});
