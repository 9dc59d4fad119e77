import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFlightsFile } from './datasets';
import { InputError, loadFlights, openFlights, type FlightInput } from './input';
import type { FlightRecord } from './flight';

describe('flight-delays input', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'flight-input-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const flight = (over: Record<string, unknown> = {}) => ({ date: '2001/01/01 00:47', delay: 66, distance: 1750, origin: 'DTW', destination: 'LAS', ...over });
  const errorOf = (fn: () => unknown): InputError => {
    try { fn(); } catch (e) { return e as InputError; }
    throw new Error('expected an InputError');
  };

  it('reads the 20,000 flights of vega-datasets', () => {
    const input = loadFlights(defaultFlightsFile());
    expect(input.flights).toHaveLength(20_000);
    expect(input.flights[0]).toEqual({ date: '2001/01/01 00:47', delay: 66, distance: 1750, origin: 'DTW', destination: 'LAS' });
    expect(input.digest).toMatch(/^[0-9a-f]{64}$/);
  });

  const all = async (input: FlightInput): Promise<FlightRecord[]> => {
    const out: FlightRecord[] = [];
    for await (const r of input.records()) out.push(r);
    return out;
  };
  const rejectionOf = async (p: Promise<unknown>): Promise<InputError> => {
    try { await p; } catch (e) { return e as InputError; }
    throw new Error('expected an InputError');
  };

  it('reads a JSON array and ndjson lines (blank lines and CRLF skipped, extra fields ignored) into the same records', async () => {
    const records = [flight(), flight({ delay: -3, origin: 'SFO', extra: true })];
    const json = loadFlights(write('a.json', JSON.stringify(records)));
    const ndjson = await openFlights(write('a.ndjson', `${records.map((r) => JSON.stringify(r)).join('\r\n\n')}\n`));
    expect(ndjson.count).toBe(2);
    expect(await all(ndjson)).toEqual(json.flights);
    expect(await all(ndjson)).toEqual(json.flights); // each call reads from the start again
    expect(json.flights[1]).toEqual({ date: '2001/01/01 00:47', delay: -3, distance: 1750, origin: 'SFO', destination: 'LAS' });
  });

  it('streams an ndjson file: the records are not held in memory, and --limit stops at that many', async () => {
    const path = write('many.ndjson', Array.from({ length: 50 }, (_, i) => JSON.stringify(flight({ delay: i }))).join('\n'));
    const input = await openFlights(path, { limit: 7 });
    expect(input).not.toHaveProperty('flights');
    expect(input.count).toBe(7);
    expect((await all(input)).map((r) => r.delay)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const whole = await openFlights(path);
    expect(whole.count).toBe(50);
    expect(whole.digest).toBe(input.digest); // the digest is the whole file's, whatever the limit
  });

  it('names the file and line of a malformed ndjson line', async () => {
    const path = write('bad.ndjson', `${JSON.stringify(flight())}\n{"date": "x", oops}\n`);
    const e = await rejectionOf(openFlights(path));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain(`${path} line 2: not valid JSON`);
  });

  it('names the line and field of an ndjson record with a bad field, and a missing ndjson file', async () => {
    const path = write('field.ndjson', [flight(), flight(), flight({ delay: 'late' })].map((r) => JSON.stringify(r)).join('\n'));
    expect((await rejectionOf(openFlights(path))).message).toBe(`${path} line 3: field "delay" must be a number, got "late".`);
    const missing = join(dir, 'nope.ndjson');
    expect((await rejectionOf(openFlights(missing))).message).toBe(`Cannot read input file ${missing}: no such file.`);
  });

  it('names the record index and field of a JSON record with a missing or bad field', () => {
    const { origin: _, ...noOrigin } = flight();
    const missing = write('missing.json', JSON.stringify([flight(), noOrigin]));
    expect(errorOf(() => loadFlights(missing)).message).toBe(`${missing} record 1: field "origin" is missing.`);
    const bad = write('bad.json', JSON.stringify([flight({ distance: null })]));
    expect(errorOf(() => loadFlights(bad)).message).toBe(`${bad} record 0: field "distance" must be a number, got null.`);
  });

  it('refuses a missing file, a non-array JSON file, invalid JSON and an unknown extension, naming the file', () => {
    const missing = join(dir, 'nope.json');
    expect(errorOf(() => loadFlights(missing)).message).toBe(`Cannot read input file ${missing}: no such file.`);
    const object = write('object.json', '{"date": 1}');
    expect(errorOf(() => loadFlights(object)).message).toContain(`${object} must hold a JSON array`);
    const broken = write('broken.json', '[{"date": ');
    expect(errorOf(() => loadFlights(broken)).message).toContain(`${broken} is not valid JSON`);
    const csv = write('flights.csv', 'date,delay\n');
    expect(errorOf(() => loadFlights(csv)).message).toContain('unknown extension ".csv"');
  });
});
