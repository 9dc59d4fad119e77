import { DiskFullError } from '../../../../src/core/errors';
import { DiskHealth } from '../../../../src/core/runtime/disk-health';
import { isDiskFull } from '../../../../src/core/runtime/disk-full';
import { SafeLogger } from '../../../../src/core/runtime/safe-logger';
import { SafeMetrics } from '../../../../src/core/runtime/safe-metrics';
import { InMemoryLogger, InMemoryMetrics } from '../../../../src/infra';

const full = Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });

function setup(timeoutMs: number | null) {
  jest.useFakeTimers();
  let now = 0;
  const logger = new InMemoryLogger();
  const metrics = new InMemoryMetrics();
  const deadlines: DiskFullError[] = [];
  const health = new DiskHealth(new SafeLogger(logger), new SafeMetrics(metrics), timeoutMs, (e) => deadlines.push(e), 1000, () => now);
  const advance = (ms: number) => { now += ms; jest.advanceTimersByTime(ms); };
  return { health, logger, metrics, deadlines, advance };
}

describe('a full disk is a named condition', () => {
  afterEach(() => jest.useRealTimers());

  it('recognises SQLITE_FULL, ENOSPC and their messages, also as a cause', () => {
    expect(isDiskFull(full)).toBe(true);
    expect(isDiskFull(Object.assign(new Error('write failed'), { code: 'ENOSPC' }))).toBe(true);
    expect(isDiskFull(new Error('x', { cause: new Error('ENOSPC: no space left on device, write') }))).toBe(true);
    expect(isDiskFull(new Error('database is locked'))).toBe(false);
    expect(isDiskFull('disk')).toBe(false);
  });

  it('pauses intake on the first report (one error line, the gauge at 1) and resumes on a success', () => {
    const { health, logger, metrics } = setup(null);
    const resumed = jest.fn();
    health.onResume(resumed);
    health.reportFull(full, 'the state store /data/minions.db');
    health.reportFull(full, 'the state store /data/minions.db');
    health.reportFull(full, 'the state store /data/minions.db');
    expect(health.full).toBe(true);
    expect(metrics.value('pipeline_disk_full_paused')).toBe(1);
    expect(logger.entries.filter((e) => e.message === 'Disk full: intake paused until space returns')).toHaveLength(1);
    expect(logger.entries.filter((e) => e.message === 'Disk still full')).toHaveLength(1); // the rest are counted, not written
    health.reportWritable();
    expect(health.full).toBe(false);
    expect(metrics.value('pipeline_disk_full_paused')).toBe(0);
    expect(resumed).toHaveBeenCalledTimes(1);
  });

  it('past the deadline of an episode of full-disk reports, onDeadline gets a DiskFullError naming the location, even if some writes fit in between', () => {
    const { health, deadlines, advance } = setup(5000);
    for (let i = 0; i < 7; i++) {
      health.reportFull(full, 'the state store /data/minions.db');
      advance(300);
      health.reportWritable(); // a delete that happened to fit
      advance(300);
    }
    expect(deadlines).toHaveLength(0); // 4.2 s into the episode
    health.reportFull(full, 'the state store /data/minions.db');
    advance(900);
    expect(deadlines).toHaveLength(1);
    expect(deadlines[0].message).toContain('/data/minions.db');
    expect(deadlines[0]).toMatchObject({ code: 'MINIONS_DISK_FULL', retryable: true });
  });

  it('an episode that went quiet (space came back) does not trip the deadline', () => {
    const { health, deadlines, advance } = setup(5000);
    health.reportFull(full, 'the state store /data/minions.db');
    health.reportWritable();
    advance(6000);
    expect(deadlines).toHaveLength(0);
  });
});
