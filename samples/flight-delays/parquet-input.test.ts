import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { datasetFile, resolveInput } from './datasets';
import type { FlightRecord } from './flight';
import { InputError, openFlights } from './input';
import { fromParquet } from './parquet-input';

const all = async (records: AsyncIterable<FlightRecord>): Promise<FlightRecord[]> => {
  const out: FlightRecord[] = [];
  for await (const r of records) out.push(r);
  return out;
};

describe('flight-delays Parquet input', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'flight-parquet-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const rows: FlightRecord[] = [
    { date: '2001/01/01 00:47', delay: 66, distance: 1750, origin: 'DTW', destination: 'LAS' },
    { date: '2001/01/01 01:24', delay: -5, distance: 407, origin: 'LAS', destination: 'OAK' },
    { date: '2001/02/03 10:05', delay: 120, distance: 2399, origin: 'HNL', destination: 'SFO' },
    { date: '2001/12/31 23:59', delay: 0, distance: 100, origin: 'ORD', destination: 'ATL' },
    { date: '2001/06/15 12:00', delay: 61, distance: 733, origin: 'SEA', destination: 'DEN' },
  ];
  /** The flights as columns: `date` a TIMESTAMP, `delay` an INT64, `distance` a DOUBLE, as vega-datasets writes them (but DOUBLE). */
  const columns = (over: Partial<Record<keyof FlightRecord, ColumnSource>> = {}, drop?: keyof FlightRecord): ColumnSource[] => {
    const base: Record<keyof FlightRecord, ColumnSource> = {
      date: { name: 'date', type: 'TIMESTAMP', data: rows.map((r) => new Date(`${r.date.replace(/\//g, '-').replace(' ', 'T')}:00Z`)) },
      delay: { name: 'delay', type: 'INT64', data: rows.map((r) => BigInt(r.delay)) },
      distance: { name: 'distance', type: 'DOUBLE', data: rows.map((r) => r.distance) },
      origin: { name: 'origin', type: 'STRING', data: rows.map((r) => r.origin) },
      destination: { name: 'destination', type: 'STRING', data: rows.map((r) => r.destination) },
    };
    return (Object.keys(base) as Array<keyof FlightRecord>).filter((k) => k !== drop).map((k) => over[k] ?? base[k]);
  };
  const write = (name: string, columnData: ColumnSource[], options: { rowGroupSize?: number; statistics?: boolean } = {}): string => {
    const path = join(dir, name);
    writeFileSync(path, Buffer.from(parquetWriteBuffer({ columnData, rowGroupSize: options.rowGroupSize ?? 2, statistics: options.statistics })));
    return path;
  };
  const errorOf = async (p: Promise<unknown>): Promise<InputError> => {
    try { await p; } catch (e) { return e as InputError; }
    throw new Error('expected an InputError');
  };

  it('reads every row group in order, as the JSON records (timestamps as "2001/01/01 00:47", INT64 as numbers)', async () => {
    for (const statistics of [true, false]) {
      const path = write(`flights-${statistics}.parquet`, [...columns(), { name: 'extra', type: 'INT32', data: rows.map(() => 1) }], { statistics });
      const input = await openFlights(path);
      expect(input.count).toBe(5);
      expect(input.digest).toMatch(/^[0-9a-f]{64}$/);
      expect(await all(input.records())).toEqual(rows);
      expect(await all(input.records())).toEqual(rows); // each call reads from the start again
    }
  });

  it('runs a full collection before each row group and after each column it decodes, when Node exposes gc (NODE_FLAGS)', async () => {
    const path = write('flights-gc.parquet', columns()); // 5 rows in row groups of 2: 3 groups
    const global = globalThis as { gc?: () => void };
    const exposed = global.gc;
    const gc = jest.fn();
    global.gc = gc;
    try {
      const input = await openFlights(path, { limit: 3 });
      expect(gc).not.toHaveBeenCalled(); // the statistics prove the file valid: opening decodes nothing
      const records = input.records()[Symbol.asyncIterator]();
      expect((await records.next()).value).toEqual(rows[0]);
      expect(gc).toHaveBeenCalledTimes(6); // before the first group and after each of its five columns, before its first row
      expect((await records.next()).value).toEqual(rows[1]);
      expect((await records.next()).value).toEqual(rows[2]);
      expect(gc).toHaveBeenCalledTimes(12); // and the second group's
      expect((await records.next()).done).toBe(true);
      expect(gc).toHaveBeenCalledTimes(12); // the third is past --limit: not decoded
      delete global.gc;
      expect(await all((await openFlights(path)).records())).toEqual(rows); // without gc exposed: the same rows
    } finally {
      global.gc = exposed;
    }
  });

  it('--limit keeps the first flights, across row groups', async () => {
    const input = await openFlights(write('limit.parquet', columns()), { limit: 3 });
    expect(input.count).toBe(3);
    expect(await all(input.records())).toEqual(rows.slice(0, 3));
    const json = await openFlights(datasetFile('flights-20k.json'), { limit: 2 });
    expect(json.count).toBe(2);
    expect(await all(json.records())).toHaveLength(2);
  });

  it('reads the first flights of vega-datasets flights-3m.parquet (the short name flights-3m), with the row count from the metadata', async () => {
    expect(resolveInput('flights-3m')).toBe(datasetFile('flights-3m.parquet'));
    expect(resolveInput('flights-20k')).toBe(datasetFile('flights-20k.json'));
    expect(resolveInput('mine.parquet')).toBe('mine.parquet');
    const whole = await openFlights(resolveInput('flights-3m'));
    expect(whole.count).toBe(3_000_000);
    const input = await openFlights(resolveInput('flights-3m'), { limit: 3 });
    expect(await all(input.records())).toEqual([
      { date: '2001/01/01 00:01', delay: 33, distance: 2176, origin: 'LAS', destination: 'PHL' },
      { date: '2001/01/01 00:01', delay: 19, distance: 215, origin: 'ATL', destination: 'SAV' },
      { date: '2001/01/01 00:01', delay: 14, distance: 405, origin: 'MCI', destination: 'MDW' },
    ]);
    expect(input.digest).toBe(whole.digest);
  });

  it('maps Parquet values to JSON ones', () => {
    expect(fromParquet(5n)).toBe(5);
    expect(fromParquet(new Date('2001-01-14T21:55:00Z'))).toBe('2001/01/14 21:55');
    expect(fromParquet(new Date('2001-01-14T21:55:07Z'))).toBe('2001/01/14 21:55:07');
    expect(fromParquet('LAX')).toBe('LAX');
  });

  it('refuses a file that is not Parquet, a missing file and a directory, naming the file', async () => {
    const text = join(dir, 'text.parquet');
    writeFileSync(text, 'date,delay\n2001/01/01,5\n');
    expect((await errorOf(openFlights(text))).message).toMatch(new RegExp(`^Input file ${text} is not a readable Parquet file \\(.+\\)\\.$`));
    const empty = join(dir, 'empty.parquet');
    writeFileSync(empty, '');
    expect((await errorOf(openFlights(empty))).message).toContain(`Input file ${empty} is not a readable Parquet file`);
    const missing = join(dir, 'nope.parquet');
    expect((await errorOf(openFlights(missing))).message).toBe(`Cannot read input file ${missing}: no such file.`);
    expect(await errorOf(openFlights(missing))).toBeInstanceOf(InputError);
    const folder = join(dir, 'folder.parquet');
    mkdirSync(folder);
    expect((await errorOf(openFlights(folder))).message).toBe(`Cannot read input file ${folder}: it is a directory.`);
  });

  it('names the file, the row and the field of a missing column, a column of the wrong type and a null value', async () => {
    const noOrigin = write('no-origin.parquet', columns({}, 'origin'));
    expect((await errorOf(openFlights(noOrigin))).message)
      .toBe(`${noOrigin} row 0: field "origin" is missing (the file's columns: date, delay, distance, destination).`);
    const textDelay = write('text-delay.parquet', columns({ delay: { name: 'delay', type: 'STRING', data: rows.map(() => 'late') } }));
    expect((await errorOf(openFlights(textDelay))).message).toBe(`${textDelay} row 0: field "delay" must be a number, got "late".`);
    const nullDistance = write('null-distance.parquet', columns({ distance: { name: 'distance', type: 'DOUBLE', nullable: true, data: rows.map((r, i) => (i === 3 ? null : r.distance)) } }));
    expect((await errorOf(openFlights(nullDistance))).message).toBe(`${nullDistance} row 3: field "distance" must be a number, got null.`);
    const emptyOrigin = write('empty-origin.parquet', columns({ origin: { name: 'origin', type: 'STRING', data: rows.map((r, i) => (i === 4 ? '' : r.origin)) } }));
    expect((await errorOf(openFlights(emptyOrigin))).message).toBe(`${emptyOrigin} row 4: field "origin" must be a non-empty string, got "".`);
    const numberDate = write('number-date.parquet', columns({ date: { name: 'date', type: 'INT32', data: rows.map(() => 7) } }));
    expect((await errorOf(openFlights(numberDate))).message).toBe(`${numberDate} row 0: field "date" must be a non-empty string, got 7.`);
  });
});
