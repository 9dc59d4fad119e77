import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultFlightsFile } from './datasets';
import { InputError, loadFlights } from './input';

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

  it('reads a JSON array and ndjson lines (blank lines skipped, extra fields ignored) into the same records', () => {
    const records = [flight(), flight({ delay: -3, origin: 'SFO', extra: true })];
    const json = loadFlights(write('a.json', JSON.stringify(records)));
    const ndjson = loadFlights(write('a.ndjson', `${records.map((r) => JSON.stringify(r)).join('\n\n')}\n`));
    expect(ndjson.flights).toEqual(json.flights);
    expect(json.flights[1]).toEqual({ date: '2001/01/01 00:47', delay: -3, distance: 1750, origin: 'SFO', destination: 'LAS' });
  });

  it('names the file and line of a malformed ndjson line', () => {
    const path = write('bad.ndjson', `${JSON.stringify(flight())}\n{"date": "x", oops}\n`);
    const e = errorOf(() => loadFlights(path));
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toContain(`${path} line 2: not valid JSON`);
  });

  it('names the line and field of an ndjson record with a bad field', () => {
    const path = write('field.ndjson', [flight(), flight(), flight({ delay: 'late' })].map((r) => JSON.stringify(r)).join('\n'));
    expect(errorOf(() => loadFlights(path)).message).toBe(`${path} line 3: field "delay" must be a number, got "late".`);
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
