import { RepeatLimiter } from '../../../../src/core/runtime/repeat-limiter';

describe('RepeatLimiter: repeated lines are written at a bounded rate, with a count', () => {
  it('writes the first line of a key, skips repeats within the interval, and hands their count to the next line written', () => {
    let now = 0;
    const limiter = new RepeatLimiter(1000, 10, () => now);
    expect(limiter.admit('disk full')).toBe(0);
    now = 10;
    expect(limiter.admit('disk full')).toBeUndefined();
    expect(limiter.admit('disk full')).toBeUndefined();
    now = 999;
    expect(limiter.admit('disk full')).toBeUndefined();
    now = 1000;
    expect(limiter.admit('disk full')).toBe(3);
    now = 1500;
    expect(limiter.admit('disk full')).toBeUndefined();
  });

  it('counts each key on its own', () => {
    let now = 0;
    const limiter = new RepeatLimiter(1000, 10, () => now);
    expect(limiter.admit('a')).toBe(0);
    expect(limiter.admit('b')).toBe(0);
    expect(limiter.admit('a')).toBeUndefined();
    now = 2000;
    expect(limiter.admit('a')).toBe(1);
    expect(limiter.admit('b')).toBe(0);
  });

  it('remembers at most maxKeys keys, forgetting the least recently written', () => {
    let now = 0;
    const limiter = new RepeatLimiter(1000, 2, () => now);
    limiter.admit('a');
    limiter.admit('b');
    limiter.admit('c'); // forgets a
    expect(limiter.admit('a')).toBe(0);
    expect(limiter.admit('c')).toBeUndefined();
  });
});
