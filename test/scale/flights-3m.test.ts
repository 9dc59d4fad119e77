import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { countRows, lastJsonLine, runSample, startSample, waitUntil } from '../integration/samples/flight-delays/sample-process';
import { datasetFile } from '../../samples/flight-delays/datasets';

/**
 * The flight-delays sample on vega-datasets' flights-3m.parquet (3 million flights), through the
 * compiled entry point with its defaults: SQLite store, logger, metrics. `npm run test:scale`.
 * SCALE_FLIGHTS=<n> runs on the first n flights instead (`--limit`), to try the suite quicker.
 */
const FLIGHTS = Number(process.env.SCALE_FLIGHTS ?? 3_000_000);
const SMALL = 20_000;
const THRESHOLD = 60;
const PARQUET = datasetFile('flights-3m.parquet');

/** Indices of the first `count` flights with `delay >= THRESHOLD`, read straight from the file's `delay` column. */
async function expectedAlertIndices(count: number): Promise<number[]> {
  const bytes = readFileSync(PARQUET); // 13 MB: the test may hold it, the sample never does
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const metadata = await parquetMetadataAsync(file);
  const out: number[] = [];
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = Math.min(start + Number(group.num_rows), count);
    if (start >= end) break;
    await parquetRead({
      file, metadata, compressors, columns: ['delay'], rowStart: start, rowEnd: end,
      onChunk: ({ columnData, rowStart }) => {
        for (let r = Math.max(rowStart, start); r < Math.min(rowStart + columnData.length, end); r++) {
          if (Number(columnData[r - rowStart]) >= THRESHOLD) out.push(r);
        }
      },
    });
    start += Number(group.num_rows);
  }
  return out;
}

function alertIndices(dataDir: string): number[] {
  const db = new Database(join(dataDir, 'alerts.db'), { readonly: true });
  try {
    return (db.prepare('SELECT idx FROM alerts ORDER BY idx').all() as Array<{ idx: number }>).map((r) => r.idx);
  } finally {
    db.close();
  }
}

const args = (dataDir: string, flights: number): string[] =>
  ['--input', 'flights-3m', '--limit', String(flights), '--data-dir', dataDir, '--json', '--metrics-port', '0'];

describe(`flight-delays at scale: ${FLIGHTS.toLocaleString('en-US')} flights of flights-3m.parquet (compiled, child processes)`, () => {
  let dir: string;
  let expected: number[];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flight-scale-'));
    expected = await expectedAlertIndices(FLIGHTS);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs to the end with the exact totals, and a peak RSS within 10 % of a 20,000-flight run', async () => {
    const small = await runSample(args(join(dir, 'small'), SMALL));
    expect(small.code).toBe(0);
    const smallSummary = lastJsonLine(small.stdout);
    expect(smallSummary).toMatchObject({ flights: SMALL, complete: true });

    const big = await runSample(args(join(dir, 'big'), FLIGHTS));
    expect(big.stderr).not.toMatch(/unexpected error/);
    expect(big.code).toBe(0);
    const summary = lastJsonLine(big.stdout);
    expect(summary).toMatchObject({ flights: FLIGHTS, alerts: expected.length, aborted: FLIGHTS - expected.length, failed: 0, complete: true });
    expect(alertIndices(join(dir, 'big'))).toEqual(expected);
    expect(countRows(join(dir, 'big', 'minions.db'), 'workflows')).toBe(0);

    const ratio = (summary.peakRssMb as number) / (smallSummary.peakRssMb as number);
    process.stdout.write(`peak RSS: ${smallSummary.peakRssMb} MiB at ${SMALL} flights, ${summary.peakRssMb} MiB at ${FLIGHTS} ` +
      `(${summary.flightsPerSecond} flights/s, ${summary.seconds} s)\n`);
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1.1);
  });

  it('a SIGKILL in the middle, then a restart, ends with exactly the alerts of the file', async () => {
    const dataDir = join(dir, 'killed');
    const first = startSample(args(dataDir, FLIGHTS));
    await waitUntil(() => countRows(join(dataDir, 'alerts.db'), 'verdicts') >= FLIGHTS / 2, first, first.stderr, dataDir);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const done = countRows(join(dataDir, 'alerts.db'), 'verdicts');
    expect(done).toBeLessThan(FLIGHTS);
    expect(countRows(join(dataDir, 'minions.db'), 'workflows')).toBeGreaterThan(0);

    const last = await runSample(args(dataDir, FLIGHTS));
    expect(last.stderr).not.toMatch(/unexpected error/);
    expect(last.code).toBe(0);
    expect(last.stderr).toContain(`${done} already done`);
    expect(lastJsonLine(last.stdout)).toMatchObject({ flights: FLIGHTS, alerts: expected.length, failed: 0, complete: true, alreadyDone: done });
    expect(alertIndices(dataDir)).toEqual(expected);
    expect(countRows(join(dataDir, 'alerts.db'), 'verdicts')).toBe(FLIGHTS);
    expect(countRows(join(dataDir, 'minions.db'), 'workflows')).toBe(0);
  });
});
