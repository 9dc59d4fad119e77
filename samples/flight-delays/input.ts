import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { FlightRecord } from './flight';
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
 * Opens and validates a flights file: `.json`, `.ndjson`/`.jsonl` (read whole, see
 * {@link loadFlights}) or `.parquet` (streamed row group by row group, see `openParquetFlights`).
 * Every record is checked before this resolves, so a bad input is found before anything starts.
 * @throws InputError naming the file, the line, record or row, and the field.
 */
export async function openFlights(file: string, options: OpenOptions = {}): Promise<FlightInput> {
  if (extname(file).toLowerCase() === '.parquet') return openParquetFlights(file, options);
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
 * Reads and validates a whole JSON flights file: `.json` (an array of records) or `.ndjson`/`.jsonl`
 * (one record per line, blank lines ignored). Records need `date`, `origin`, `destination`
 * (non-empty strings), `delay` and `distance` (finite numbers); other fields are ignored.
 * @throws InputError naming the file, the line (ndjson) or record index (json), and the field.
 */
export function loadFlights(file: string): LoadedFlights {
  const path = resolve(file);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new InputError(`Cannot read input file ${file}: ${why}.`);
  }
  const text = bytes.toString('utf8');
  const ext = extname(path).toLowerCase();
  let flights: FlightRecord[];
  if (ext === '.json') flights = parseJsonArray(text, file);
  else if (ext === '.ndjson' || ext === '.jsonl') flights = parseNdjson(text, file);
  else if (ext === '.parquet') throw new InputError(`Input file ${file}: a .parquet file is streamed; open it with openFlights().`);
  else throw new InputError(`Input file ${file}: unknown extension "${ext || basename(path)}"; use .json (an array of flights), .ndjson (one flight per line) or .parquet.`);
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

function parseNdjson(text: string, file: string): FlightRecord[] {
  const flights: FlightRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const where = `${file} line ${i + 1}`;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (e) {
      throw new InputError(`${where}: not valid JSON (${(e as Error).message}).`);
    }
    flights.push(toRecord(data, where));
  }
  return flights;
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
