import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { FlightRecord } from './flight';

// What every input format shares: its error, the result's shape, record validation, reading the file.

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
   * call reads from the start again. An NDJSON file is read line by line, a Parquet file one row
   * group at a time.
   */
  records(): AsyncIterable<FlightRecord>;
}

/** How to open an input. */
export interface OpenOptions {
  /** Only the first `limit` flights (a positive integer); default all. */
  limit?: number;
}


/** The error for an input file that cannot be read: `Cannot read input file <file>: <why>.` */
export function cannotRead(file: string, e: unknown): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
  return new InputError(`Cannot read input file ${file}: ${why}.`);
}

/** SHA-256 of the file's bytes, read as a stream. @throws InputError naming `file` when it cannot be read. */
export function sha256(path: string, file: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', (e) => fail(cannotRead(file, e)))
      .on('end', () => done(hash.digest('hex')));
  });
}

const STRING_FIELDS = ['date', 'origin', 'destination'] as const;
const NUMBER_FIELDS = ['delay', 'distance'] as const;

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
