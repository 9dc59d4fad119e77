import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { FlightRecord } from './flight';
import { cannotRead } from './input-file';
import { openNdjsonFlights } from './ndjson-input';
import { openParquetFlights } from './parquet-input';

/** A problem with the input file: the message names the file, the line or record, and the field. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

/** A validated input file, read as a stream of records. */
export interface FlightInput {
  /** Absolute path of the file. */
  path: string;
  /** SHA-256 of the file's bytes: ties a data directory to the input it was made from. */
  digest: string;
  /** Flights this run works on: the file's records, or the first `limit` of them. */
  count: number;
  /**
   * The `count` records in file order, validated; a flight's index is its position here. Each
   * call reads from the start again. A Parquet file is read one row group at a time.
   */
  records(): AsyncIterable<FlightRecord>;
}

/** A JSON or NDJSON input: its records are in memory. */
export interface LoadedFlights extends FlightInput {
  /** The records, in file order. */
  flights: FlightRecord[];
}

/** How to open an input. */
export interface OpenOptions {
  /** Only the first `limit` flights (a positive integer); default all. */
  limit?: number;
}

/**
 * Opens and validates a flights file: `.json` (read whole, see {@link loadFlights}),
 * `.ndjson`/`.jsonl` (streamed line by line, see `openNdjsonFlights`) or `.parquet` (streamed
 * row group by row group, see `openParquetFlights`).
 * Every record is checked before this resolves, so a bad input is found before anything starts.
 * @throws InputError naming the file, the line, record or row, and the field.
 */
export async function openFlights(file: string, options: OpenOptions = {}): Promise<FlightInput> {
  const ext = extname(file).toLowerCase();
  if (ext === '.parquet') return openParquetFlights(file, options);
  if (ext === '.ndjson' || ext === '.jsonl') return openNdjsonFlights(file, options);
  const loaded = loadFlights(file);
  if (options.limit === undefined || options.limit >= loaded.flights.length) return loaded;
  const flights = loaded.flights.slice(0, options.limit);
  const limited: LoadedFlights = { ...loaded, flights, count: flights.length, records: () => iterate(flights) };
  return limited;
}

async function* iterate(flights: FlightRecord[]): AsyncGenerator<FlightRecord> {
  yield* flights;
}

const STRING_FIELDS = ['date', 'origin', 'destination'] as const;
const NUMBER_FIELDS = ['delay', 'distance'] as const;

/**
 * Reads and validates a whole `.json` flights file (an array of records). Records need `date`,
 * `origin`, `destination` (non-empty strings), `delay` and `distance` (finite numbers); other
 * fields are ignored. `.ndjson` and `.parquet` files are streamed: open them with {@link openFlights}.
 * @throws InputError naming the file, the record index, and the field.
 */
export function loadFlights(file: string): LoadedFlights {
  const path = resolve(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw cannotRead(file, e);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.parquet' || ext === '.ndjson' || ext === '.jsonl') {
    throw new InputError(`Input file ${file}: a ${ext} file is streamed; open it with openFlights().`);
  }
  if (ext !== '.json') {
    throw new InputError(`Input file ${file}: unknown extension "${ext || basename(path)}"; use .json (an array of flights), .ndjson (one flight per line) or .parquet.`);
  }
  const flights = parseJsonArray(bytes.toString('utf8'), file);
  return { path, digest: createHash('sha256').update(bytes).digest('hex'), count: flights.length, flights, records: () => iterate(flights) };
}

function parseJsonArray(text: string, file: string): FlightRecord[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`Input file ${file} is not valid JSON: ${(e as Error).message}.`);
  }
  if (!Array.isArray(data)) throw new InputError(`Input file ${file} must hold a JSON array of flight records.`);
  return data.map((record, i) => toRecord(record, `${file} record ${i}`));
}

/** Validates one record; `where` names it in messages ("file.ndjson line 3"). */
export function toRecord(data: unknown, where: string): FlightRecord {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new InputError(`${where}: expected a flight object, got ${describe(data)}.`);
  }
  const r = data as Record<string, unknown>;
  for (const f of STRING_FIELDS) {
    if (!(f in r)) throw new InputError(`${where}: field "${f}" is missing.`);
    if (typeof r[f] !== 'string' || r[f] === '') throw new InputError(`${where}: field "${f}" must be a non-empty string, got ${describe(r[f])}.`);
  }
  for (const f of NUMBER_FIELDS) {
    if (!(f in r)) throw new InputError(`${where}: field "${f}" is missing.`);
    if (typeof r[f] !== 'number' || !Number.isFinite(r[f])) throw new InputError(`${where}: field "${f}" must be a number, got ${describe(r[f])}.`);
  }
  return {
    date: r.date as string, delay: r.delay as number, distance: r.distance as number,
    origin: r.origin as string, destination: r.destination as string,
  };
}

/** A value as a message shows it: strings quoted and cut at 40 characters. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'object') return 'an object';
  return String(v);
}
