import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { InMemoryLogger, SqliteStateStore } from 'minions';
import { checkDataDir, DataDirMismatchError } from './alert-log';
import { airportsFile, defaultFlightsFile } from './datasets';
import type { FlightRecord } from './flight';
import { openFlights } from './input';
import { runFlightDelays } from './run';
import { SampleSettings } from './settings';
import { buildSummary, formatSummary } from './summary';

/** ~300 real flights: a spread over the year, plus one from an airport missing in airports.csv. */
function subset(): FlightRecord[] {
  const all = JSON.parse(readFileSync(defaultFlightsFile(), 'utf8')) as FlightRecord[];
  const picked = all.filter((_, i) => i % 67 === 0);
  picked.push({ date: '2001/12/31 23:59', delay: 125, distance: 100, origin: 'ZZZ', destination: 'ORD' });
  return picked;
}

describe('flight-delays in-process run', () => {
  let dir: string;
  let inputPath: string;
  let flights: FlightRecord[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'flight-run-'));
    flights = subset();
    inputPath = join(dir, 'subset.ndjson');
    writeFileSync(inputPath, `${flights.map((f) => JSON.stringify(f)).join('\n')}\n`);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const settingsFor = async (dataDir: string, threshold = 60) => new SampleSettings(dataDir, await openFlights(inputPath), airportsFile(), threshold);
  const run = (settings: SampleSettings) => runFlightDelays({
    settings, stateStore: new SqliteStateStore({ path: join(settings.dataDir, 'minions.db') }), logger: new InMemoryLogger(), metrics: null,
  });

  it('alerts exactly the flights with delay >= threshold; unknown airports are recorded, not fatal', async () => {
    const dataDir = join(dir, 'data');
    const settings = await settingsFor(dataDir);
    const result = await run(settings);

    const expected = flights.flatMap((f, i) => (f.delay >= 60 ? [i] : []));
    expect(expected.length).toBeGreaterThan(10);
    const db = new Database(join(dataDir, 'alerts.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT idx, delay, origin, origin_name, destination_name FROM alerts ORDER BY idx').all() as
        Array<{ idx: number; delay: number; origin: string; origin_name: string | null; destination_name: string | null }>;
      expect(rows.map((r) => r.idx)).toEqual(expected);
      for (const r of rows) expect(r.delay).toBe(flights[r.idx].delay);
      const unknown = rows.find((r) => r.origin === 'ZZZ');
      expect(unknown).toMatchObject({ origin_name: null, destination_name: "Chicago O'Hare International" });
      expect(rows.find((r) => r.origin === 'ORD')?.origin_name).toBe("Chicago O'Hare International");
      expect(db.prepare("SELECT count(*) AS n FROM verdicts WHERE verdict = 'below'").get()).toEqual({ n: flights.length - expected.length });
    } finally {
      db.close();
    }
    const checkpoints = new Database(join(dataDir, 'minions.db'), { readonly: true });
    expect(checkpoints.prepare('SELECT count(*) AS n FROM workflows').get()).toEqual({ n: 0 });
    checkpoints.close();

    expect(result.totals).toMatchObject({ flights: flights.length, alerts: expected.length, below: flights.length - expected.length, failed: 0 });
    expect(result.stats).toMatchObject({ alreadyDone: 0, emitted: flights.length, alerts: expected.length });
    const summary = buildSummary(result, flights.length, 60);
    expect(summary).toMatchObject({ flights: flights.length, alerts: expected.length, aborted: flights.length - expected.length, failed: 0, complete: true });
    const alertsByOrigin = new Map<string, number>();
    for (const i of expected) alertsByOrigin.set(flights[i].origin, (alertsByOrigin.get(flights[i].origin) ?? 0) + 1);
    const ranked = [...alertsByOrigin.values()].sort((a, b) => b - a).slice(0, 5);
    expect(summary.topOrigins.map((o) => o.alerts)).toEqual(ranked);
    for (const o of summary.topOrigins) expect(o.alerts).toBe(alertsByOrigin.get(o.iata));
    expect(formatSummary(summary)).toContain(`1. ${summary.topOrigins[0].iata}`);
  });

  it('a second run on the same data dir skips every decided flight and keeps the totals', async () => {
    const dataDir = join(dir, 'data');
    const settings = await settingsFor(dataDir);
    const result = await run(settings);
    expect(result.stats).toMatchObject({ alreadyDone: flights.length, emitted: 0, alerts: 0, below: 0 });
    expect(result.totals.flights).toBe(flights.length);
  });

  it('the threshold is a config: another value alerts on its own rule, and a data dir refuses a different one', async () => {
    const dataDir = join(dir, 'data-90');
    const result = await run(await settingsFor(dataDir, 90));
    expect(result.totals.alerts).toBe(flights.filter((f) => f.delay >= 90).length);
    await expect(checkDataDir(await settingsFor(dataDir, 60))).rejects.toThrow(DataDirMismatchError);
    await expect(checkDataDir(await settingsFor(dataDir, 90))).resolves.toBeUndefined();
  });
});
