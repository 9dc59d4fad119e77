import { readFileSync } from 'node:fs';
import { airportsFile } from './datasets';
import { fnv1a, haversineKm, measureRoute, nearestAirport, parseAirports, pointAlong } from './geo';

const rad = (deg: number): number => (deg * Math.PI) / 180;

describe('route-stats geometry', () => {
  const table = parseAirports(readFileSync(airportsFile(), 'utf8'));
  const at = (code: string): [number, number] => { const i = table.byCode.get(code)!; return [table.lat[i], table.lon[i]]; };

  it('reads every airport of airports.csv, quoted commas included', () => {
    expect(table.codes.length).toBeGreaterThan(3300);
    expect(table.byCode.has('JFK')).toBe(true);
  });

  it('haversine: JFK to LAX is about 3,975 km on the mean sphere; a point to itself is 0', () => {
    const km = haversineKm(...at('JFK'), ...at('LAX'));
    expect(km).toBeGreaterThan(3960);
    expect(km).toBeLessThan(3990);
    expect(haversineKm(rad(40), rad(-74), rad(40), rad(-74))).toBe(0);
  });

  it('points along the great circle start and end at the endpoints, and the midpoint halves the distance', () => {
    const [a, b] = [at('JFK'), at('LAX')];
    const km = haversineKm(...a, ...b);
    const delta = km / 6371.0088;
    const [s, e, m] = [0, 1, 0.5].map((f) => pointAlong(...a, ...b, delta, f));
    expect(haversineKm(...s, ...a)).toBeLessThan(1e-6);
    expect(haversineKm(...e, ...b)).toBeLessThan(1e-6);
    expect(haversineKm(...a, ...m)).toBeCloseTo(km / 2, 6);
  });

  it('the nearest airport to an airport is itself', () => {
    expect(table.codes[nearestAirport(table, ...at('ORD'))]).toBe('ORD');
  });

  it('a route: whole metres, a corridor from origin to destination without repeats; unknown codes give 0', () => {
    const r = measureRoute(table, 'jfk', 'LAX', 48);
    expect(Number.isInteger(r.meters)).toBe(true);
    expect(r.corridor[0]).toBe('JFK');
    expect(r.corridor[r.corridor.length - 1]).toBe('LAX');
    expect(r.corridor.every((c, i) => i === 0 || c !== r.corridor[i - 1])).toBe(true);
    expect(measureRoute(table, 'JFK', 'XXX', 48)).toEqual({ meters: 0, corridor: [], unknown: ['XXX'] });
  });

  it('FNV-1a 32 matches the reference values', () => {
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });
});
