import { InMemoryLogger, InMemoryMetrics, type Pipeline } from 'minions';
import { MemoryGuard } from '../../../../src/core/fanout/memory-guard';
import { PipelineRunner } from '../../../../src/core/fanout/pipeline-runner';
import { SubscriberBuffer } from '../../../../src/core/fanout/subscriber-buffer';
import { SafeLogger } from '../../../../src/core/runtime/safe-logger';
import { SafeMetrics } from '../../../../src/core/runtime/safe-metrics';
import type { RuntimeServices } from '../../../../src/core/runtime/runtime-services';
import { resolveRuntimeOptions } from '../../../../src/gru/gru-options';

const MIB = 1048576;
const turns = async (n = 20): Promise<void> => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)); };

describe('SEMANTICS 6: a pull pipeline under the memory guard', () => {
  it('is not asked for events above the soft limit, nor between the marks, and is asked again below the lower mark', async () => {
    const rss = { bytes: 300 * MIB };
    const log = new SafeLogger(new InMemoryLogger());
    const metrics = new SafeMetrics(new InMemoryMetrics());
    const guard = new MemoryGuard({ bytes: 200 * MIB, source: 'memorySoftLimitMiB' }, log, metrics, { readRss: () => rss.bytes });
    guard.sample();
    const services: RuntimeServices = {
      store: undefined as never, storeName: 'none', discardsWrites: true, log, metrics,
      options: resolveRuntimeOptions({}), hooks: {}, activeWorkflows: new Set(), memoryGuard: guard,
    };
    let asked = 0;
    const pipeline = { produceEvent: async () => { asked++; return asked; } } as unknown as Pipeline<number>;
    const runner = new PipelineRunner<number>(pipeline, 'feed', services, (e) => { throw e; });
    const buffer = new SubscriberBuffer<number>(4);
    runner.attach(buffer, 'orch-1', () => undefined);
    runner.open();
    try {
      await turns();
      expect(asked).toBe(0);
      rss.bytes = 190 * MIB; // below the limit, above 90 % of it
      guard.sample();
      await turns();
      expect(asked).toBe(0);
      rss.bytes = 100 * MIB;
      guard.sample();
      await turns();
      expect(asked).toBeGreaterThan(0);
    } finally {
      await runner.stop();
    }
  });
});
