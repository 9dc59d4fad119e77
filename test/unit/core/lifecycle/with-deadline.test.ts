import { settlesWithin, withDeadline } from '../../../../src/core/lifecycle/with-deadline';

/** A promise and the functions that settle it, for work the test finishes by hand. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

class Late extends Error {}

describe('withDeadline', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('resolves with the value of work that settles before the deadline, and leaves no timer behind', async () => {
    const work = deferred<string>();
    const raced = withDeadline(work.promise, 1_000, () => new Late('late'));
    expect(jest.getTimerCount()).toBe(1);
    work.resolve('done');
    await expect(raced).resolves.toBe('done');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with the error of work that fails before the deadline, and leaves no timer behind', async () => {
    const work = deferred<string>();
    const raced = withDeadline(work.promise, 1_000, () => new Late('late'));
    const boom = new Error('boom');
    work.reject(boom);
    await expect(raced).rejects.toBe(boom);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with the onTimeout error once the deadline passes, building it only then', async () => {
    const work = deferred<string>();
    const onTimeout = jest.fn(() => new Late('past the deadline'));
    const raced = withDeadline(work.promise, 1_000, onTimeout);
    const outcome = raced.catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(999);
    expect(onTimeout).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(Late);
    expect((error as Error).message).toBe('past the deadline');
    expect(onTimeout).toHaveBeenCalledTimes(1);
    expect(jest.getTimerCount()).toBe(0);
    work.resolve('too late'); // settling afterwards changes nothing
    await expect(raced).rejects.toBe(error);
  });

  it.each([Number.POSITIVE_INFINITY, Number.NaN])('sets no deadline at all when ms is not finite (%p)', async (ms) => {
    const work = deferred<string>();
    const onTimeout = jest.fn(() => new Late('late'));
    const raced = withDeadline(work.promise, ms, onTimeout);
    expect(jest.getTimerCount()).toBe(0);
    let settled = false;
    void raced.then(() => { settled = true; });
    await jest.advanceTimersByTimeAsync(10 * 365 * 24 * 3_600_000);
    expect(settled).toBe(false);
    work.resolve('eventually');
    await expect(raced).resolves.toBe('eventually');
    expect(onTimeout).not.toHaveBeenCalled();
  });
});

describe('settlesWithin', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('is true when the work resolves in time, and leaves no timer behind', async () => {
    const work = deferred();
    const within = settlesWithin(work.promise, 500);
    work.resolve();
    await expect(within).resolves.toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('is true when the work rejects in time: a rejection counts as settled and is not rethrown', async () => {
    const work = deferred();
    const within = settlesWithin(work.promise, 500);
    work.reject(new Error('read elsewhere'));
    await expect(within).resolves.toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('is false once the deadline passes with the work still pending', async () => {
    const work = deferred();
    const within = settlesWithin(work.promise, 500);
    await jest.advanceTimersByTimeAsync(500);
    await expect(within).resolves.toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });
});
