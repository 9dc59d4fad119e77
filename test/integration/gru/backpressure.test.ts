import 'reflect-metadata';
import { Gru, InMemoryLogger, Minion, Pipeline, minion, pipeline, step } from 'minions';

class Ev { n = 0; }
class Ctx { n = 0; }

let produced = 0;
let release: (() => void) | undefined;
let gate = new Promise<void>((r) => { release = r; });

@pipeline({ event: Ev })
class Endless extends Pipeline<Ev> {
  async produceEvent() { produced++; return Object.assign(new Ev(), { n: produced }); }
}

@minion({ event: Ev, context: Ctx })
class Stuck extends Minion<Ev, Ctx> {
  @step async wait() { await gate; }
}

describe('SEMANTICS 6: pipelines and backpressure', () => {
  it('the slowest subscriber paces a pull producer: nothing beyond maxInFlight + bufferSize is pulled', async () => {
    const gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null, maxInFlight: 5, bufferSize: 10, stopGraceMs: 10 });
    try {
      expect(produced).toBe(0); // nothing is produced before the first subscriber
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Endless, minion: Stuck });
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      expect(produced).toBe(5 + 10);
      const snap = gru.snapshot().orchestrations[0];
      expect(snap.inflightWorkflows).toBe(5);
      expect(snap.bufferedEvents).toBe(10);
      release!();
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      expect(produced).toBeGreaterThan(15);
      gate = new Promise<void>((r) => { release = r; });
      await gru.stopOrchestration(orchestrationId);
    } finally {
      release!();
      await gru.shutdown();
    }
  });
});

describe('SEMANTICS 6: memory guard in a running Gru', () => {
  it('with RSS above memorySoftLimitMiB a pull pipeline is not asked for events', async () => {
    const before = produced;
    const gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null, memorySoftLimitMiB: 1 });
    try {
      await gru.startOrchestration({ pipeline: Endless, minion: Stuck });
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      expect(produced).toBe(before);
    } finally {
      release?.();
      await gru.shutdown();
    }
  });
});
