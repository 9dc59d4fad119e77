import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { FlightRecord } from './flight';
import { InputError, sha256, toRecord, type FlightInput, type OpenOptions } from './input-file';

/**
 * A `.ndjson`/`.jsonl` flights file (one record per line; blank lines skipped), read line by
 * line as a stream: neither the file nor its records are held in memory. Opening reads it
 * twice: once to validate and count the first `limit` records (a message names the file, the
 * 1-based line and the field), once to hash the whole file; each `records()` call reads it again.
 * @throws InputError for a file that cannot be read, a line that is not JSON, or a bad field.
 */
export async function openNdjsonFlights(file: string, options: OpenOptions = {}): Promise<FlightInput> {
  const path = resolve(file);
  const digest = await sha256(path, file); // first: a missing file is named before any line is read
  let count = 0;
  for await (const _ of readRecords(path, file, options.limit ?? Number.POSITIVE_INFINITY)) count++;
  return { path, digest, count, records: () => readRecords(path, file, count) };
}

/** The first `count` records of the file, validated, in order. */
async function* readRecords(path: string, file: string, count: number): AsyncGenerator<FlightRecord> {
  if (count <= 0) return;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Number.POSITIVE_INFINITY });
  let done = 0;
  let lineNumber = 0;
  try {
    for await (const raw of lines) {
      lineNumber++;
      const line = raw.trim();
      if (line === '') continue;
      yield parseLine(line, `${file} line ${lineNumber}`);
      if (++done === count) return;
    }
  } finally {
    lines.close();
  }
}

/** One line as a validated record; `where` names it in messages ("flights.ndjson line 3"). */
function parseLine(line: string, where: string): FlightRecord {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (e) {
    throw new InputError(`${where}: not valid JSON (${(e as Error).message}).`);
  }
  return toRecord(data, where);
}
