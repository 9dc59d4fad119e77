import { getEventListeners } from 'node:events';
import { backoffDelayMs, sleep, type BackoffOptions } from '../../../../src/core/runtime/backoff';

/** The defaults of `GruOptions.persistenceRetry` and `GruOptions.producerRetry`. */
const DEFAULTS: BackoffOptions = { delayMs: 1000, multiplier: 2, maxDelayMs: 60_000, jitterRatio: 0.1 };
const noJitter: BackoffOptions = { ...DEFAULTS, jitterRatio: 0 };

describe('backoffDelayMs: capped exponential backoff with jitter', () => {
  it('the first retry waits delayMs', () => {
    expect(backoffDelayMs(1, noJitter)).toBe(1000);
    expect(backoffDelayMs(1, { ...noJitter, delayMs: 250 })).toBe(250);
  });

  it('each further retry multiplies the wait by multiplier', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelayMs(n, noJitter))).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3].map((n) => backoffDelayMs(n, { ...noJitter, multiplier: 3 }))).toEqual([1000, 3000, 9000]);
  });

  it('the wait never exceeds maxDelayMs before jitter: the default schedule is 1 s, x2, capped at 60 s', () => {
    expect(Array.from({ length: 9 }, (_, i) => backoffDelayMs(i + 1, noJitter) / 1000)).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    expect(backoffDelayMs(1000, noJitter)).toBe(60_000); // no overflow to Infinity far along
  });

  it('an attempt number below 1 counts as the first retry', () => {
    expect(backoffDelayMs(0, noJitter)).toBe(1000);
    expect(backoffDelayMs(-3, noJitter)).toBe(1000);
  });

  it('jitter spreads each wait by at most ± jitterRatio of it, after the cap', () => {
    expect(backoffDelayMs(1, DEFAULTS, () => 0)).toBeCloseTo(900); // random 0: the low end
    expect(backoffDelayMs(1, DEFAULTS, () => 0.5)).toBeCloseTo(1000); // the middle: no change
    expect(backoffDelayMs(1, DEFAULTS, () => 0.999999)).toBeCloseTo(1100, 2); // the high end
    expect(backoffDelayMs(20, DEFAULTS, () => 0.999999)).toBeCloseTo(66_000, 1); // jitter applies on top of the cap
    for (let i = 0; i < 200; i++) {
      const d = backoffDelayMs(3, DEFAULTS); // Math.random
      expect(d).toBeGreaterThanOrEqual(3600);
      expect(d).toBeLessThanOrEqual(4400);
    }
  });

  it('a wait is never negative, whatever the jitter', () => {
    expect(backoffDelayMs(1, { ...DEFAULTS, jitterRatio: 3 }, () => 0)).toBe(0);
  });

  it('with jitterRatio 0 the random source is not consulted', () => {
    const random = jest.fn(() => 0);
    expect(backoffDelayMs(2, noJitter, random)).toBe(2000);
    expect(random).not.toHaveBeenCalled();
  });
});

describe('sleep: a wait that an abort signal cuts short', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('resolves true once the time has passed, and leaves no abort listener behind', async () => {
    const controller = new AbortController();
    let result: boolean | undefined;
    void sleep(500, controller.signal).then((r) => { result = r; });
    await jest.advanceTimersByTimeAsync(499);
    expect(result).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(result).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('resolves false as soon as the signal aborts, and clears its timer', async () => {
    const controller = new AbortController();
    const slept = sleep(60_000, controller.signal);
    expect(jest.getTimerCount()).toBe(1);
    controller.abort();
    await expect(slept).resolves.toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('resolves false at once, without a timer, when the signal is already aborted', async () => {
    const slept = sleep(60_000, AbortSignal.abort());
    expect(jest.getTimerCount()).toBe(0);
    await expect(slept).resolves.toBe(false);
  });

  it('without a signal it simply waits: one timer, fired by the fake clock at 10 ms, then true', async () => {
    const slept = sleep(10);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(9);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(jest.getTimerCount()).toBe(0);
    await expect(slept).resolves.toBe(true);
  });
});
