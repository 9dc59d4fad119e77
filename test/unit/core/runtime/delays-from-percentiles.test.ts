import { delaysFromPercentiles } from '../../../../src/core/runtime/delays-from-percentiles';

describe('event-loop delay: percentiles back into observations', () => {
  const ms = (n: number): number => n * 1e6;

  it('counts the samples between two percentiles at the upper one, less the timer period, adding up to the count', () => {
    const percentiles = new Map([[0, ms(9.5)], [50, ms(10.2)], [75, ms(11)], [87.5, ms(14)], [100, ms(372)]]);
    const out = delaysFromPercentiles(24, percentiles, ms(10));
    expect(out.map((o) => o.count)).toEqual([12, 6, 3, 3]);
    expect(out[0].seconds).toBeCloseTo(0.0002, 6);
    expect(out[3].seconds).toBeCloseTo(0.362, 6);
    expect(out.reduce((n, o) => n + o.count, 0)).toBe(24);
  });

  it('a sample shorter than the period is a delay of 0; no samples, no observations', () => {
    expect(delaysFromPercentiles(1, new Map([[100, ms(9)]]), ms(10))).toEqual([{ seconds: 0, count: 1 }]);
    expect(delaysFromPercentiles(0, new Map([[100, ms(50)]]), ms(10))).toEqual([]);
  });
});
