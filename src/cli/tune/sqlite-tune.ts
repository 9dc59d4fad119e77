/**
 * `minions tune sqlite`: measures, on the disk where it runs, what the SQLite state store's
 * group commit costs, and recommends a `maxBatchSize`.
 *
 * Two measurements, both on a fresh probe file that is removed afterwards:
 * 1. commit latency as the reference calibrates it: 6 warm-up `BEGIN IMMEDIATE`/`ROLLBACK`,
 *    then single-row upsert commits with a 256-byte payload and with a 2 x page-size payload;
 *    p50 (median) and p95 (95th percentile, inclusive); the reference's profile for that p50;
 * 2. throughput of the real `SqliteStateStore` for several `maxBatchSize` values, with the write
 *    pattern of a live workflow (three saves and one delete, many workflows in flight).
 * The recommendation is the smallest batch size within 5 % of the best measured throughput.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { SqliteStateStore } from '../../index';
import { CliError } from '../cli-error';

/** Options of {@link tuneSqlite}. */
export interface SqliteTuneOptions {
  /** Directory of the probe file: the disk being measured. */
  dir: string;
  /** Timed commits per payload size (the reference takes 8). */
  samples: number;
  /** Workflows per throughput run (each: 3 saves and 1 delete). */
  workflows: number;
  /** Workflows in flight at once during a throughput run. */
  inFlight: number;
  /** `maxBatchSize` values to measure. */
  batchSizes: number[];
}

/** Commit latency of single-row upserts with one payload size, milliseconds. */
export interface LatencyFigures {
  payloadBytes: number;
  p50Ms: number;
  p95Ms: number;
}

/** The store's write rate with one `maxBatchSize`, over a live-workflow write pattern. */
export interface SweepPoint {
  maxBatchSize: number;
  writesPerSecond: number;
  transactions: number;
  seconds: number;
}

/** What `minions tune sqlite` measured and recommends (`--json` prints it). */
export interface SqliteTuneReport {
  file: string;
  journalMode: string;
  synchronous: string;
  pageSize: number;
  latency: LatencyFigures[];
  /** The reference's calibration for the small-payload p50. */
  profile: { name: 'NVMe-like' | 'SSD-like' | 'HDD-like'; rule: string; referenceBatch: number };
  sweep: SweepPoint[];
  recommended: { maxBatchSize: number; reason: string };
}

const WARMUP_TRANSACTIONS = 6;
const PROBE_ORCHESTRATION = '__minions_tune_probe__';

/** p-th percentile, inclusive (linear interpolation between closest ranks), of unsorted values. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

/** The reference's calibrated profiles, by the p50 of small single-row commits. */
export function profileFor(p50Ms: number): SqliteTuneReport['profile'] {
  if (p50Ms <= 2) return { name: 'NVMe-like', rule: 'p50 <= 2 ms', referenceBatch: 48 };
  if (p50Ms <= 6) return { name: 'SSD-like', rule: '2 ms < p50 <= 6 ms', referenceBatch: 64 };
  return { name: 'HDD-like', rule: 'p50 > 6 ms', referenceBatch: 128 };
}

function probePath(dir: string, label: string): string {
  return path.resolve(dir, `.minions-tune-${process.pid}-${label}.db`);
}

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal', '-owner']) rmSync(file + suffix, { force: true });
}

/** Creates the store's schema (through the store itself, so it is exactly the same) and closes it. */
async function createSchema(file: string): Promise<void> {
  const store = new SqliteStateStore({ path: file });
  await store.startup();
  await store.shutdown();
}

async function measureLatency(dir: string, samples: number): Promise<Pick<SqliteTuneReport, 'file' | 'journalMode' | 'synchronous' | 'pageSize' | 'latency'>> {
  const file = probePath(dir, 'latency');
  removeDb(file);
  try {
    await createSchema(file);
    const db = new Database(file);
    try {
      db.pragma('locking_mode = EXCLUSIVE'); // as the store opens its file
      const journalMode = String(db.pragma('journal_mode = WAL', { simple: true }));
      db.pragma('synchronous = NORMAL');
      const synchronous = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(db.pragma('synchronous', { simple: true }))] ?? 'unknown';
      const pageSize = Number(db.pragma('page_size', { simple: true }));
      for (let i = 0; i < WARMUP_TRANSACTIONS; i++) {
        db.exec('BEGIN IMMEDIATE');
        db.exec('ROLLBACK');
      }
      const upsert = db.prepare('INSERT INTO workflows (workflow_id, orchestration_id, context) VALUES (?, ?, ?) ' +
        'ON CONFLICT(workflow_id) DO UPDATE SET orchestration_id = excluded.orchestration_id, context = excluded.context');
      const commitOne = db.transaction((id: string, blob: Buffer) => upsert.run(id, PROBE_ORCHESTRATION, blob));
      const latency: LatencyFigures[] = [];
      for (const payloadBytes of [256, 2 * pageSize]) {
        const times: number[] = [];
        for (let i = 0; i < samples; i++) {
          const blob = randomBytes(payloadBytes);
          const t0 = performance.now();
          commitOne.immediate(`probe-${payloadBytes}-${i}`, blob);
          times.push(performance.now() - t0);
        }
        latency.push({ payloadBytes, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) });
      }
      return { file, journalMode, synchronous, pageSize, latency };
    } finally {
      db.close();
    }
  } finally {
    removeDb(file);
  }
}

/**
 * Drives a real store with the writes of `workflows` live two-step workflows (save at
 * workflow_start, before each step, delete at the end), `inFlight` of them at a time.
 */
async function measureThroughput(dir: string, maxBatchSize: number, workflows: number, inFlight: number): Promise<SweepPoint> {
  const file = probePath(dir, `batch-${maxBatchSize}`);
  removeDb(file);
  const store = new SqliteStateStore({ path: file, maxBatchSize });
  try {
    await store.startup();
    const blob = randomBytes(300);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < workflows) {
        const id = `wf-${next++}`;
        for (let step = 0; step < 3; step++) await store.saveContext(id, PROBE_ORCHESTRATION, blob);
        await store.deleteContext(id);
      }
    };
    const before = store.stats.committedBatches;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: Math.min(inFlight, workflows) }, lane));
    const seconds = (performance.now() - t0) / 1000;
    return { maxBatchSize, writesPerSecond: (workflows * 4) / seconds, transactions: store.stats.committedBatches - before, seconds };
  } finally {
    await store.shutdown();
    removeDb(file);
  }
}

/** Runs both measurements; see the file comment. */
export async function tuneSqlite(options: SqliteTuneOptions): Promise<SqliteTuneReport> {
  if (!existsSync(options.dir)) throw new CliError(`directory ${options.dir} does not exist: create it, or pass --dir with an existing directory`);
  const latency = await measureLatency(options.dir, options.samples);
  const sweep: SweepPoint[] = [];
  await measureThroughput(options.dir, 64, Math.min(options.workflows, 500), options.inFlight); // warm-up, not reported
  for (const size of options.batchSizes) sweep.push(await measureThroughput(options.dir, size, options.workflows, options.inFlight));
  const best = Math.max(...sweep.map((s) => s.writesPerSecond));
  const pick = [...sweep].sort((a, b) => a.maxBatchSize - b.maxBatchSize).find((s) => s.writesPerSecond >= 0.95 * best)!;
  return {
    ...latency,
    profile: profileFor(latency.latency[0].p50Ms),
    sweep,
    recommended: {
      maxBatchSize: pick.maxBatchSize,
      reason: pick.writesPerSecond === best ? 'highest measured throughput'
        : `smallest batch within 5 % of the best measured throughput (${Math.round(best).toLocaleString('en-US')} writes/s)`,
    },
  };
}
