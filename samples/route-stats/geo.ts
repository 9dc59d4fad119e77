import { parse } from 'csv-parse/sync';

/** Mean Earth radius, km (IUGG). */
export const EARTH_RADIUS_KM = 6371.0088;

/** Airports as parallel arrays (radians), the form the brute-force searches walk. */
export interface AirportTable {
  codes: string[];
  lat: Float64Array;
  lon: Float64Array;
  /** Row of each IATA code. */
  byCode: Map<string, number>;
}

/**
 * Parses `airports.csv` (`iata,...,latitude,longitude`; names hold quoted commas, so a real CSV
 * parser reads it). Rows without finite coordinates are skipped.
 */
export function parseAirports(text: string): AirportTable {
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
  const kept = rows.filter((r) => Number.isFinite(Number(r.latitude)) && Number.isFinite(Number(r.longitude)) && r.iata);
  const table: AirportTable = { codes: [], lat: new Float64Array(kept.length), lon: new Float64Array(kept.length), byCode: new Map() };
  kept.forEach((r, i) => {
    const code = r.iata.toUpperCase();
    table.codes.push(code);
    table.lat[i] = (Number(r.latitude) * Math.PI) / 180;
    table.lon[i] = (Number(r.longitude) * Math.PI) / 180;
    table.byCode.set(code, i);
  });
  return table;
}

/** Great-circle distance between two points given in radians, km (haversine). */
export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const s1 = Math.sin((lat2 - lat1) / 2);
  const s2 = Math.sin((lon2 - lon1) / 2);
  const a = s1 * s1 + Math.cos(lat1) * Math.cos(lat2) * s2 * s2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * The point at fraction `f` (0..1) of the great circle from (lat1, lon1) to (lat2, lon2),
 * radians (spherical linear interpolation). `delta` is the central angle between the two.
 */
export function pointAlong(lat1: number, lon1: number, lat2: number, lon2: number, delta: number, f: number): [number, number] {
  if (delta < 1e-12) return [lat1, lon1];
  const a = Math.sin((1 - f) * delta) / Math.sin(delta);
  const b = Math.sin(f * delta) / Math.sin(delta);
  const x = a * Math.cos(lat1) * Math.cos(lon1) + b * Math.cos(lat2) * Math.cos(lon2);
  const y = a * Math.cos(lat1) * Math.sin(lon1) + b * Math.cos(lat2) * Math.sin(lon2);
  const z = a * Math.sin(lat1) + b * Math.sin(lat2);
  return [Math.atan2(z, Math.sqrt(x * x + y * y)), Math.atan2(y, x)];
}

/** Row of the airport nearest to a point, by brute force over the whole table (lowest row on a tie). */
export function nearestAirport(table: AirportTable, lat: number, lon: number): number {
  let best = 0;
  let bestKm = Number.POSITIVE_INFINITY;
  for (let i = 0; i < table.codes.length; i++) {
    const km = haversineKm(lat, lon, table.lat[i], table.lon[i]);
    if (km < bestKm) { bestKm = km; best = i; }
  }
  return best;
}

/** What {@link measureRoute} finds for one flight. */
export interface RouteMeasure {
  /** Great-circle distance, whole metres; 0 when an airport is unknown. */
  meters: number;
  /** Nearest airport to each of the route's points, in route order, repeats removed. */
  corridor: string[];
  /** Codes of the flight missing from the table. */
  unknown: string[];
}

/**
 * The deliberately heavy part: the great-circle distance, then `points` points along the route,
 * each matched to its nearest airport by brute force (`points` x ~3,400 haversines per flight).
 */
export function measureRoute(table: AirportTable, origin: string, destination: string, points: number): RouteMeasure {
  const from = table.byCode.get(origin.toUpperCase());
  const to = table.byCode.get(destination.toUpperCase());
  const unknown = [from === undefined ? [origin] : [], to === undefined ? [destination] : []].flat();
  if (from === undefined || to === undefined) return { meters: 0, corridor: [], unknown };
  const km = haversineKm(table.lat[from], table.lon[from], table.lat[to], table.lon[to]);
  const delta = km / EARTH_RADIUS_KM;
  const corridor: string[] = [];
  for (let p = 0; p <= points; p++) {
    const [lat, lon] = pointAlong(table.lat[from], table.lon[from], table.lat[to], table.lon[to], delta, p / points);
    const code = table.codes[nearestAirport(table, lat, lon)];
    if (corridor[corridor.length - 1] !== code) corridor.push(code);
  }
  return { meters: Math.round(km * 1000), corridor, unknown };
}

/** FNV-1a, 32 bits, of a string's UTF-16 code units. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
