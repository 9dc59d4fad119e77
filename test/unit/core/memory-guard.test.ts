import { MemoryGuard } from '../../../src/core/fanout/memory-guard';
import { SafeLogger } from '../../../src/core/runtime/safe-logger';
import { SafeMetrics } from '../../../src/core/runtime/safe-metrics';
import { InMemoryLogger, InMemoryMetrics } from 'minions';

describe('SEMANTICS 6: memory guard', () => {
  it('pauses above the soft limit, resumes below it, says so once per crossing and wakes listeners', () => {
    let rss = 100;
    const logger = new InMemoryLogger();
    const metrics = new InMemoryMetrics();
    const guard = new MemoryGuard(150, new SafeLogger(logger), new SafeMetrics(metrics), 250, () => rss);
    let woken = 0;
    guard.onResume(() => { woken++; });
    guard.sample();
    expect(guard.paused).toBe(false);
    rss = 200;
    guard.sample();
    guard.sample();
    expect(guard.paused).toBe(true);
    expect(metrics.value('pipeline_memory_paused')).toBe(1);
    expect(logger.findAll('Pipelines paused: process memory above the soft limit')).toHaveLength(1);
    rss = 120;
    guard.sample();
    expect(guard.paused).toBe(false);
    expect(metrics.value('pipeline_memory_paused')).toBe(0);
    expect(woken).toBe(1);
    expect(metrics.violations).toEqual([]);
  });
});
