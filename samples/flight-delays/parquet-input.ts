import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parquetMetadataAsync, parquetRead, type AsyncBuffer, type ColumnData, type FileMetaData, type ParquetParsers, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { FlightRecord } from './flight';
import { cannotRead, InputError, sha256, toRecord, type FlightInput, type OpenOptions } from './input-file';

/** The columns read; other columns are ignored, as extra fields of a JSON record are. */
const COLUMNS = ['date', 'delay', 'distance', 'origin', 'destination'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * A `.parquet` flights file (such as vega-datasets' `flights-3m.parquet`), read with hyparquet
 * (pure JavaScript; ZSTD, Snappy, Brotli, LZ4 through hyparquet-compressors). Nothing holds the
 * whole file: it is read through ranged reads of an open file handle, one row group at a time,
 * and only the five columns the sample uses.
 *
 * Columns: `date` a TIMESTAMP (written like the JSON files' `"2001/01/14 21:55"`, the wall-clock
 * time the file holds) or a string; `delay`, `distance` numbers (INT32, INT64, FLOAT, DOUBLE);
 * `origin`, `destination` strings. Rows are validated as JSON records are (`toRecord`), so a
 * message names the file, the row (0-based, as the flight's index) and the field. Every row is
 * checked before this resolves, unless the row groups' statistics already prove every value
 * present and of the right kind (then no row is decoded twice).
 * @throws InputError for a file that cannot be read, is not Parquet, lacks a column, or holds a bad value.
 */
export async function openParquetFlights(file: string, options: OpenOptions = {}): Promise<FlightInput> {
  const path = resolve(file);
  const meta = await withFile(path, file, (buffer) => readMetadata(buffer, file));
  checkColumns(meta, file);
  const total = Number(meta.num_rows);
  const count = options.limit === undefined ? total : Math.min(options.limit, total);
  const records = (): AsyncGenerator<FlightRecord> => readRows(path, file, meta, count);
  if (!statisticsProveValid(meta)) {
    for await (const _ of records()) { /* validates every row; throws InputError on the first bad one */ }
  }
  return { path, digest: await sha256(path, file), count, records };
}

/** Opens `path` for ranged reads (its handle, to close, and an {@link AsyncBuffer} over it); errors name `file`. */
async function openRanged(path: string, file: string): Promise<{ handle: FileHandle; buffer: AsyncBuffer }> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw cannotRead(file, e);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw cannotRead(file, Object.assign(new Error('directory'), { code: 'EISDIR' }));
    return { handle, buffer: rangedBuffer(handle, stat.size) };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** Opens `path` as an {@link AsyncBuffer} over ranged reads, runs `work`, closes the file. */
async function withFile<T>(path: string, file: string, work: (buffer: AsyncBuffer) => Promise<T>): Promise<T> {
  const { handle, buffer } = await openRanged(path, file);
  try {
    return await work(buffer);
  } finally {
    await handle.close();
  }
}

/** hyparquet's file interface over one open file: each `slice` is one positioned read. */
function rangedBuffer(handle: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const length = Math.max(0, Math.min(end, size) - start);
      const bytes = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(bytes, done, length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return bytes.buffer;
    },
  };
}

async function readMetadata(buffer: AsyncBuffer, file: string): Promise<FileMetaData> {
  try {
    return await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new InputError(`Input file ${file} is not a readable Parquet file (${(e as Error).message}).`);
  }
}

/** Top-level columns by name. */
function columnsOf(meta: FileMetaData): Map<string, SchemaElement> {
  return new Map(meta.schema.slice(1).map((el) => [el.name, el]));
}

function checkColumns(meta: FileMetaData, file: string): void {
  const columns = columnsOf(meta);
  for (const name of COLUMNS) {
    if (!columns.has(name)) {
      throw new InputError(`${file} row 0: field "${name}" is missing (the file's columns: ${[...columns.keys()].join(', ') || 'none'}).`);
    }
  }
}

const NUMERIC = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE']);
const isString = (el: SchemaElement): boolean => el.type === 'BYTE_ARRAY' && (el.converted_type === 'UTF8' || el.logical_type?.type === 'STRING');
const isTimestamp = (el: SchemaElement): boolean => el.type === 'INT96' || el.logical_type?.type === 'TIMESTAMP' ||
  el.converted_type === 'TIMESTAMP_MILLIS' || el.converted_type === 'TIMESTAMP_MICROS';
const finite = (v: unknown): boolean => typeof v === 'bigint' || (typeof v === 'number' && Number.isFinite(v));

/**
 * True when every row group's statistics show, for each column, no null and values of the right
 * kind (finite numbers, non-empty strings, timestamps): every row then passes `toRecord`.
 */
function statisticsProveValid(meta: FileMetaData): boolean {
  const columns = columnsOf(meta);
  return meta.row_groups.every((group) => COLUMNS.every((name) => {
    const el = columns.get(name)!;
    const stats = group.columns.find((c) => c.meta_data?.path_in_schema.join('.') === name)?.meta_data?.statistics;
    if (!stats || stats.null_count !== 0n) return false;
    if (name === 'delay' || name === 'distance') return NUMERIC.has(el.type ?? '') && finite(stats.min_value) && finite(stats.max_value);
    if (name === 'date' && isTimestamp(el)) return stats.min_value instanceof Date;
    return isString(el) && typeof stats.min_value === 'string' && stats.min_value !== '';
  }));
}

/**
 * The first `count` rows as validated records, one row group decoded at a time (its five
 * columns, then the rows). The file is open while the generator runs and closed when it ends or
 * is returned early.
 */
async function* readRows(path: string, file: string, meta: FileMetaData, count: number): AsyncGenerator<FlightRecord> {
  const { handle, buffer } = await openRanged(path, file);
  try {
    let groupStart = 0;
    const raw: Record<Column, unknown> = { date: '', delay: 0, distance: 0, origin: '', destination: '' };
    for (const group of meta.row_groups) {
      if (groupStart >= count) break;
      const groupEnd = Math.min(groupStart + Number(group.num_rows), count);
      let columns: Record<Column, Slice> | undefined = await readGroup(buffer, meta, groupStart, groupEnd);
      for (let row = groupStart; row < groupEnd; row++) {
        for (const name of COLUMNS) {
          raw[name] = fromParquet(valueAt(columns[name], row));
        }
        yield toRecord(raw, `${file} row ${row}`);
      }
      columns = undefined; // one row group in memory at a time: drop this one before reading the next
      groupStart += Number(group.num_rows);
    }
  } finally {
    await handle.close();
  }
}

/** Decoded values of one column, `data[i]` being row `first + i`. */
interface Slice {
  /** The column's values; for a `date` slice epoch milliseconds, for a `dictionary` slice indices into `table`. */
  data: ArrayLike<unknown>;
  first: number;
  kind?: 'date' | 'dictionary';
  table?: readonly string[];
}

/** The value of `row` as hyparquet returned it (a `Date` rebuilt from its milliseconds). */
function valueAt(slice: Slice, row: number): unknown {
  const v = slice.data[row - slice.first];
  if (slice.kind === 'date') return typeof v === 'number' ? new Date(v) : v;
  if (slice.kind === 'dictionary') return slice.table![v as number];
  return v;
}

/**
 * Rows `[start, end)` of the five columns, decoded one column at a time. flights-3m.parquet holds
 * each column of a row group (272,727 rows) in one page, so a page is decoded whole whatever rows
 * are asked for. Reading the columns one by one, with a full collection before the group and
 * after each column ({@link collectDecodingGarbage}), holds one column's decoding garbage at a
 * time; a numeric column is kept as a `Float64Array` (8 bytes a row) rather than as the array of
 * bigints hyparquet returns for INT64 (about 35 bytes a row).
 */
async function readGroup(buffer: AsyncBuffer, meta: FileMetaData, start: number, end: number): Promise<Record<Column, Slice>> {
  const slices = {} as Record<Column, Slice>;
  const schema = columnsOf(meta);
  collectDecodingGarbage(); // the running sample's garbage first, so the decoding starts on the live heap alone
  for (const name of COLUMNS) {
    const slice = await readColumn(buffer, meta, name, start, end);
    slices[name] = isTimestamp(schema.get(name)!) ? { ...slice, kind: 'date' } : slice;
    collectDecodingGarbage();
  }
  return slices;
}

/** Rows `[start, end)` of one column, compacted; hyparquet's own arrays are garbage once this returns. */
async function readColumn(buffer: AsyncBuffer, meta: FileMetaData, name: Column, start: number, end: number): Promise<Slice> {
  const chunks: ColumnData[] = [];
  await parquetRead({
    file: buffer, metadata: meta, compressors, columns: [name], rowStart: start, rowEnd: end, parsers: EPOCH_MS,
    onChunk: (chunk: ColumnData) => { chunks.push(chunk); },
  });
  return compact(sliceOf(chunks, start, end));
}

/**
 * A full collection, when Node runs with `--expose-gc` (the sample's `NODE_FLAGS`); nothing
 * otherwise. Decoding one column of a flights-3m row group takes 10 to 20 MiB of arrays of
 * 272,727 elements (definition levels, values, the assembled column), garbage once the column
 * is compacted. V8 puts arrays that large in its large-object space, which only a full
 * collection frees, so without one the five columns' garbage piled up at each row-group
 * boundary on top of the running sample's own: the peak RSS of a long run rose by 20 to 30 MiB
 * over a 20,000-flight run's, whose only row group is decoded at startup, on a small heap. One
 * collection before a row group and one after each column (six per 272,727 flights) bound that
 * to one column's decoding on the live heap, for a few milliseconds each.
 */
function collectDecodingGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * Timestamps decoded as epoch milliseconds rather than `Date`s: a row group's `date` column is
 * then 272,727 numbers instead of as many objects of decoding garbage (`valueAt` makes the one
 * `Date` a row needs).
 */
const EPOCH_MS: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (ms) => Number(ms),
  timestampFromMicroseconds: (us) => Number(us / 1000n),
  timestampFromNanoseconds: (ns) => Number(ns / 1_000_000n),
};

/** The rows `[start, end)` of one column's chunks; a chunk covering them all (the usual case) is kept without a copy. */
function sliceOf(chunks: ColumnData[], start: number, end: number): Slice {
  const whole = chunks.find((c) => c.rowStart <= start && c.rowEnd >= end);
  if (whole) return { data: whole.columnData, first: whole.rowStart };
  const data = new Array<unknown>(end - start);
  for (const c of chunks) {
    for (let r = Math.max(c.rowStart, start); r < Math.min(c.rowEnd, end); r++) data[r - start] = c.columnData[r - c.rowStart];
  }
  return { data, first: start };
}

/** At most this many distinct strings in a column for it to be kept as indices into a table. */
const MAX_DICTIONARY = 65_536;

/**
 * A column in a compact form, kept until the row group is done: numbers and bigints as a
 * `Float64Array`, dates as a `Float64Array` of epoch milliseconds, strings of few distinct values
 * (airport codes) as a `Uint16Array` of indices into a table of them; anything else (a null in
 * it, mixed types, many distinct strings) as it is. hyparquet returns an array of 272,727 object
 * references per column (its dictionary's strings and `Date`s): about 12 MiB of live V8 heap for
 * one row group, and V8 lets the old generation grow to several times the live heap before a
 * full collection, so the peak RSS of a long run rose by several times that. Typed arrays keep
 * the group outside the V8 heap, at 2 to 8 bytes a row.
 */
function compact(slice: Slice): Slice {
  const { data } = slice;
  if (data instanceof Float64Array) return slice;
  const first = data.length > 0 ? data[0] : undefined;
  if (typeof first === 'bigint' || typeof first === 'number') {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'bigint' && typeof v !== 'number') return slice;
    }
    return { data: Float64Array.from(data as ArrayLike<number | bigint>, Number), first: slice.first };
  }
  if (first instanceof Date) {
    const ms = new Float64Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (!(v instanceof Date)) return slice;
      ms[i] = v.getTime();
    }
    return { data: ms, first: slice.first, kind: 'date' };
  }
  if (typeof first === 'string') {
    const codes = new Uint16Array(data.length);
    const index = new Map<string, number>();
    const table: string[] = [];
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (typeof v !== 'string') return slice;
      let code = index.get(v);
      if (code === undefined) {
        if (table.length === MAX_DICTIONARY) return slice;
        code = table.push(v) - 1;
        index.set(v, code);
      }
      codes[i] = code;
    }
    return { data: codes, first: slice.first, kind: 'dictionary', table };
  }
  return slice;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A Parquet value as a JSON record holds it: an INT64 (a bigint) as a number, a timestamp as
 * `"2001/01/14 21:55"` (seconds only when not zero). A timestamp without time zone
 * (`isAdjustedToUTC: false`, as in vega-datasets) comes back as a UTC `Date` holding the wall-clock time.
 */
export function fromParquet(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return v;
    const hm = `${v.getUTCFullYear()}/${pad(v.getUTCMonth() + 1)}/${pad(v.getUTCDate())} ${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`;
    return v.getUTCSeconds() === 0 ? hm : `${hm}:${pad(v.getUTCSeconds())}`;
  }
  return v;
}
