import { InMemoryLogger, InMemoryMetrics, type Pipeline } from 'minions';
import { PipelineRunner } from '../../../../src/core/fanout/pipeline-runner';
import { SubscriberBuffer } from '../../../../src/core/fanout/subscriber-buffer';
import { SafeLogger } from '../../../../src/core/runtime/safe-logger';
import { SafeMetrics } from '../../../../src/core/runtime/safe-metrics';
import type { RuntimeServices } from '../../../../src/core/runtime/runtime-services';
import { resolveRuntimeOptions, type GruOptions } from '../../../../src/gru/gru-options';

/**
 * A `produceEvent()` that keeps failing is called again after a capped exponential backoff,
 * not at once (SEMANTICS 10); its log lines are rate-limited with a repeat count and every
 * failure is counted. Time is jest's fake clock: the tests count calls and lines, never speed.
 */

const MESSAGE = 'Pipeline failed to produce event';
const never = (): Promise<never> => new Promise<never>(() => undefined);

interface Setup {
  runner: PipelineRunner<number>;
  buffer: SubscriberBuffer<number>;
  logger: InMemoryLogger;
  metrics: InMemoryMetrics;
}

/** A runner over `produceEvent`, with one attached subscriber whose buffer never fills in these tests. */
function setup(produceEvent: () => Promise<number>, producerRetry: GruOptions['producerRetry']): Setup {
  const logger = new InMemoryLogger();
  const metrics = new InMemoryMetrics();
  const services: RuntimeServices = {
    store: undefined as never, storeName: 'none', discardsWrites: true,
    log: new SafeLogger(logger), metrics: new SafeMetrics(metrics),
    options: resolveRuntimeOptions({ producerRetry }), hooks: {}, activeWorkflows: new Set(),
  };
  const pipeline = { produceEvent } as unknown as Pipeline<number>;
  const runner = new PipelineRunner<number>(pipeline, 'feed', services, () => { throw new Error('a failing produceEvent() must not end the pipeline'); });
  const buffer = new SubscriberBuffer<number>(10_000);
  runner.attach(buffer, 'orch-1', () => undefined);
  return { runner, buffer, logger, metrics };
}

const errors = (s: Setup, errorType?: string): number =>
  s.metrics.value('pipeline_error_total', errorType === undefined ? { pipeline: 'feed' } : { pipeline: 'feed', error_type: errorType });
const lines = (s: Setup) => s.logger.findAll(MESSAGE);

beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

describe('SEMANTICS 10: a failing produceEvent() is retried with backoff, not at once', () => {
  it('a producer that always throws is called a bounded number of times in 3 s, with at most two error lines, each failure counted', async () => {
    let calls = 0;
    // Without backoff the loop would reach the 50th call within the first turns; then it parks.
    const s = setup(async () => { if (++calls >= 50) return never(); throw new TypeError('source unreachable'); }, { delayMs: 50 });
    s.runner.open();
    await jest.advanceTimersByTimeAsync(3_000);
    // 50 ms doubling, ±10 %: calls near 0, 50, 150, 350, 750, 1550 ms (the next after 3 s).
    expect(calls).toBeGreaterThanOrEqual(5);
    expect(calls).toBeLessThanOrEqual(8);
    expect(errors(s, 'TypeError')).toBe(calls);
    expect(lines(s).length).toBeGreaterThanOrEqual(1);
    expect(lines(s).length).toBeLessThanOrEqual(2);
    expect(lines(s)[0]).toMatchObject({ level: 'error', fields: { pipeline_id: 'feed', error_type: 'TypeError', error_message: 'source unreachable' } });
    await s.runner.stop();
  });

  it('the loop goes on: it keeps retrying at the capped delay', async () => {
    let calls = 0;
    const s = setup(async () => { calls++; throw new Error('down'); }, { delayMs: 100, maxDelayMs: 400, jitterRatio: 0 });
    s.runner.open();
    await jest.advanceTimersByTimeAsync(700); // calls at 0, 100, 300, 700
    expect(calls).toBe(4);
    await jest.advanceTimersByTimeAsync(4_000); // then one every 400 ms (the cap)
    expect(calls).toBe(14);
    await s.runner.stop();
  });

  it('the default schedule is 1 s doubling to 60 s, ±10 %', async () => {
    let calls = 0;
    const s = setup(async () => { calls++; throw new Error('down'); }, undefined);
    s.runner.open();
    await jest.advanceTimersByTimeAsync(850); // before the first retry (≥ 900 ms)
    expect(calls).toBe(1);
    await jest.advanceTimersByTimeAsync(300); // past it (≤ 1100 ms)
    expect(calls).toBe(2);
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    // 1, 2, 4, 8, 16, 32, then 60 s each, ±10 %: the 7th call at 57-69 s, then one every 54-66 s,
    // so 15 to 17 calls in the first ten minutes (a 1 s wait without doubling would give 600).
    expect(calls).toBeGreaterThanOrEqual(15);
    expect(calls).toBeLessThanOrEqual(17);
    await s.runner.stop();
  });

  it('lines are rate-limited per pipeline and error type, and the next line written carries the count it skipped', async () => {
    let calls = 0;
    const s = setup(async () => {
      calls++;
      if (calls > 2_000) return never();
      throw calls % 2 === 0 ? new RangeError('even') : new TypeError('odd');
    }, { delayMs: 10, maxDelayMs: 10, jitterRatio: 0 });
    s.runner.open();
    await jest.advanceTimersByTimeAsync(25_000);
    expect(calls).toBe(2_001);
    const byType = (t: string) => lines(s).filter((l) => l.fields?.error_type === t);
    for (const type of ['TypeError', 'RangeError']) {
      const written = byType(type);
      expect(written.length).toBeGreaterThanOrEqual(2); // the first at once, the next once 10 s passed
      expect(written.length).toBeLessThanOrEqual(3);
      expect(written[0].fields?.repeated).toBeUndefined();
      expect(written[1].fields?.repeated).toBeGreaterThan(100);
      // Nothing is hidden without a count: lines written plus lines skipped = failures counted, or
      // fewer by the skips since the last line (not yet reported).
      const reported = written.reduce((n, l) => n + 1 + ((l.fields?.repeated as number | undefined) ?? 0), 0);
      expect(reported).toBeLessThanOrEqual(errors(s, type));
      expect(reported).toBeGreaterThan(errors(s, type) - 1_000);
    }
    expect(errors(s)).toBe(2_000);
    await s.runner.stop();
  });

  it('a success resets the delay', async () => {
    const script = ['fail', 'fail', 'fail', 'ok', 'fail', 'fail'];
    const at: number[] = [];
    const start = Date.now();
    const s = setup(async () => {
      at.push(Date.now() - start);
      const next = script.shift();
      if (next === undefined) return never();
      if (next === 'fail') throw new Error('flaky');
      return 1;
    }, { delayMs: 100, multiplier: 2, jitterRatio: 0 });
    s.runner.open();
    await jest.advanceTimersByTimeAsync(5_000);
    // 100, 200, 400 after the first three failures; the success is followed by the next call at
    // once; that call fails and waits 100 ms again (not 800), then 200.
    expect(at).toEqual([0, 100, 300, 700, 700, 800, 1000]);
    expect(s.buffer.size).toBe(1);
    await s.runner.stop();
  });

  it('a stop during a backoff ends the wait at once: no timer left, no further call', async () => {
    let calls = 0;
    const s = setup(async () => { calls++; throw new Error('down'); }, { delayMs: 3_600_000 });
    s.runner.open();
    await jest.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    expect(jest.getTimerCount()).toBe(1); // the backoff
    await s.runner.stop();
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(2 * 3_600_000);
    expect(calls).toBe(1);
    expect(errors(s)).toBe(1);
  });
});
