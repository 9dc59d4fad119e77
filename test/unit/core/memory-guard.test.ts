import { MemoryGuard } from '../../../src/core/fanout/memory-guard';
import { SafeLogger } from '../../../src/core/runtime/safe-logger';
import { SafeMetrics } from '../../../src/core/runtime/safe-metrics';
import { InMemoryLogger, InMemoryMetrics, MemoryPressureError, MinionsError } from 'minions';

const MIB = 1048576;

/** RSS is driven through the guard's reader: real RSS cannot be steered reliably. */
function setup(resumeRatio?: number) {
  const rss = { bytes: 100 * MIB };
  const logger = new InMemoryLogger();
  const metrics = new InMemoryMetrics();
  const guard = new MemoryGuard({ bytes: 200 * MIB, source: 'memorySoftLimit 0.5 of the cgroup v2 limit of 400 MiB in /sys/fs/cgroup/memory.max' },
    new SafeLogger(logger), new SafeMetrics(metrics), { resumeRatio, readRss: () => rss.bytes });
  return { rss, logger, metrics, guard };
}

describe('SEMANTICS 6: memory guard', () => {
  it('pauses above the soft limit, resumes only below the lower mark, says so once per crossing and wakes listeners', () => {
    const { rss, logger, metrics, guard } = setup();
    let woken = 0;
    guard.onResume(() => { woken++; });
    guard.start();
    try {
      expect(guard.paused).toBe(false);
      expect(metrics.value('pipeline_memory_paused')).toBe(0);
      expect(metrics.value('minions_memory_soft_limit_bytes')).toBe(200 * MIB);
      rss.bytes = 201 * MIB;
      guard.sample();
      guard.sample();
      expect(guard.paused).toBe(true);
      expect(metrics.value('pipeline_memory_paused')).toBe(1);
      expect(logger.findAll('Pipelines paused: process memory above the soft limit')).toHaveLength(1);
      rss.bytes = 190 * MIB; // below the limit, above the lower mark (90 %: 180 MiB): still paused
      guard.sample();
      expect(guard.paused).toBe(true);
      expect(woken).toBe(0);
      rss.bytes = 179 * MIB;
      guard.sample();
      expect(guard.paused).toBe(false);
      expect(metrics.value('pipeline_memory_paused')).toBe(0);
      expect(woken).toBe(1);
      expect(logger.findAll('Pipelines resumed: process memory back below the soft limit')).toHaveLength(1);
      rss.bytes = 195 * MIB; // between the marks on the way up: not paused again
      guard.sample();
      expect(guard.paused).toBe(false);
      expect(metrics.violations).toEqual([]);
    } finally {
      guard.stop();
    }
  });

  it('refuses a start above the mark with MemoryPressureError giving RSS, the limit and its source; accepts below the lower mark', () => {
    const { rss, guard } = setup();
    guard.assertRoom();
    rss.bytes = 250 * MIB;
    let error: unknown;
    try { guard.assertRoom(); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(MemoryPressureError);
    expect(MinionsError.is(error, 'MINIONS_MEMORY_PRESSURE')).toBe(true);
    expect(error).toMatchObject({ rssBytes: 250 * MIB, limitBytes: 200 * MIB, resumeBelowBytes: 180 * MIB, retryable: true });
    expect((error as Error).message).toMatch(/RSS 250 MiB\) is above the memory guard's soft limit of 200 MiB \(memorySoftLimit 0\.5 of the cgroup v2 limit of 400 MiB in \/sys\/fs\/cgroup\/memory\.max\)/);
    expect((error as Error).message).toMatch(/once RSS is below 180 MiB/);
    rss.bytes = 185 * MIB;
    expect(() => guard.assertRoom()).toThrow(MemoryPressureError);
    rss.bytes = 150 * MIB;
    expect(() => guard.assertRoom()).not.toThrow();
  });

  it('memoryResumeRatio 1 lifts as soon as RSS is back at the limit', () => {
    const { rss, guard } = setup(1);
    rss.bytes = 201 * MIB;
    guard.sample();
    expect(guard.paused).toBe(true);
    rss.bytes = 199 * MIB;
    guard.sample();
    expect(guard.paused).toBe(false);
  });
});
