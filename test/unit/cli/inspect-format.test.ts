import { formatAge, formatSize, formatTable } from '../../../src/cli/inspect/format';

describe('minions inspect formats', () => {
  it.each([[0, '0s'], [999, '0s'], [45_000, '45s'], [192_000, '3m12s'], [7_500_000, '2h05m'], [273_600_000, '3d04h'], [-5, '0s']])(
    'formatAge(%d) = %s', (ms, text) => expect(formatAge(ms)).toBe(text));

  it.each([[0, '0 B'], [812, '812 B'], [1434, '1.4 KiB'], [2 * 1024 * 1024, '2.0 MiB']])('formatSize(%d) = %s', (n, text) => expect(formatSize(n)).toBe(text));

  it('aligns columns two spaces apart and trims line ends', () => {
    expect(formatTable([['A', 'BB', 'C'], ['long', 'x', '']])).toEqual(['A     BB  C', 'long  x']);
  });
});
