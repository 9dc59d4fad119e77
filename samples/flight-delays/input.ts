import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname, resolve } from 'node:path';
import type { FlightRecord } from './flight';
import { cannotRead, InputError, toRecord, type FlightInput, type OpenOptions } from './input-file';
import { openNdjsonFlights } from './ndjson-input';
import { openParquetFlights } from './parquet-input';

export { InputError, toRecord, type FlightInput, type OpenOptions } from './input-file';

/** A `.json` input: its records are in memory. */
export interface LoadedFlights extends FlightInput {
  /** The records, in file order. */
  flights: FlightRecord[];
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
