import 'reflect-metadata';
import { Gru, InMemoryLogger, MemoryPressureError, Minion, Pipeline, minion, pipeline, step } from 'minions';

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
  it('with RSS above memorySoftLimitMiB a start is refused with MemoryPressureError; nothing is built, no event pulled, not ready', async () => {
    const before = produced;
    const logger = new InMemoryLogger();
    const gru = await Gru.create({ stateStore: null, logger, metrics: null, admin: false, memorySoftLimitMiB: 1 });
    try {
      const error = await gru.startOrchestration({ pipeline: Endless, minion: Stuck }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MemoryPressureError);
      expect(error).toMatchObject({ code: 'MINIONS_MEMORY_PRESSURE', limitBytes: 1048576, limitSource: 'memorySoftLimitMiB', retryable: true });
      expect((error as Error).message).toMatch(/^Not started: process memory \(RSS \d+ MiB\) is above the memory guard's soft limit of 1 MiB \(memorySoftLimitMiB\)/);
      for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
      expect(produced).toBe(before);
      expect(gru.snapshot().orchestrations).toEqual([]);
      expect(gru.readiness()).toMatchObject({ ready: false, reasons: [expect.stringMatching(/memory soft limit/)] });
      expect(logger.findAll('Pipelines paused: process memory above the soft limit')).toHaveLength(1);
      expect(logger.findAll('Memory guard on')).toHaveLength(1);
    } finally {
      release?.();
      await gru.shutdown();
    }
  });
});
