import { TallyBook } from './tally-book';

describe('route-stats tally', () => {
  it('a flight recorded twice (a retried step) counts once; totals do not depend on order', () => {
    const a = new TallyBook();
    const b = new TallyBook();
    const one = { route: 'JFK-LAX', meters: 3_983_000, corridor: ['JFK', 'ORD', 'LAX'], fingerprint: 0xffffffff, unknown: false };
    const two = { route: 'ORD-LAX', meters: 2_800_500, corridor: ['ORD', 'LAX'], fingerprint: 2, unknown: false };
    a.record(0, one); a.record(1, two); a.record(0, one);
    b.record(1, two); b.record(0, one);
    expect(a.totals()).toEqual(b.totals());
    expect(a.totals()).toEqual({
      flights: 2, totalKm: 6783.5, longest: { route: 'JFK-LAX', km: 3983 },
      busiestCorridorAirport: { code: 'LAX', routes: 2 }, checksum: '00000001', unknownAirports: 0,
    });
  });
});
