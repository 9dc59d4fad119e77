import * as path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { tuneSqlite, type SqliteTuneReport } from '../tune/sqlite-tune';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

const batchList = (value: string): number[] => {
  const sizes = value.split(',').map((v) => Number(v.trim()));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError('expected a comma-separated list of positive integers, e.g. 16,64,256');
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
};

const ms = (v: number): string => v.toFixed(3).padStart(8);
const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** The human-readable report. */
export function renderTuneReport(r: SqliteTuneReport, options: { workflows: number; inFlight: number }): string {
  const lines: string[] = [];
  lines.push(`SQLite in ${path.dirname(r.file)} (journal ${r.journalMode}, synchronous ${r.synchronous}, page size ${r.pageSize} B)`);
  lines.push('');
  lines.push('Commit latency: single-row upsert transactions, after 6 warm-up transactions');
  lines.push('  payload        p50 ms    p95 ms');
  for (const l of r.latency) lines.push(`  ${`${l.payloadBytes} B`.padEnd(11)}${ms(l.p50Ms)}  ${ms(l.p95Ms)}`);
  lines.push(`  profile: ${r.profile.name} (${r.profile.rule}); the Python reference would batch ${r.profile.referenceBatch} writes`);
  lines.push('');
  lines.push(`Group commit through SqliteStateStore: ${int(options.workflows)} workflows (3 saves + 1 delete each), ${int(options.inFlight)} in flight`);
  lines.push('  maxBatchSize     writes/s   transactions');
  for (const s of r.sweep) lines.push(`  ${String(s.maxBatchSize).padStart(12)}  ${int(s.writesPerSecond).padStart(11)}  ${int(s.transactions).padStart(13)}`);
  lines.push('');
  lines.push(`Recommended: new SqliteStateStore({ path, maxBatchSize: ${r.recommended.maxBatchSize} })  (${r.recommended.reason})`);
  lines.push('Nothing was changed: pass the value where the store is created (the default is 64).');
  return lines.join('\n');
}

/**
 * `minions tune sqlite [--dir DIR] [--samples N] [--workflows N] [--in-flight N] [--batch-sizes LIST] [--json]`:
 * measures commit latency and group-commit throughput of the SQLite state store on the disk
 * holding DIR (a probe file, removed afterwards) and prints a recommended `maxBatchSize`. Changes nothing.
 */
export function registerTune(program: Command): void {
  const tune = program
    .command('tune')
    .description('measure this machine and recommend settings (target: sqlite)');
  tune
    .command('sqlite')
    .description('measure SQLite commit latency and group-commit throughput here; recommend maxBatchSize')
    .option('--dir <dir>', 'directory on the disk to measure (a probe file is created and removed)', '.')
    .option('--samples <n>', 'timed commits per payload size', positiveInt, 8)
    .option('--workflows <n>', 'workflows per throughput run', positiveInt, 5000)
    .option('--in-flight <n>', 'workflows in flight during a throughput run', positiveInt, 1000)
    .option('--batch-sizes <list>', 'maxBatchSize values to compare', batchList, [16, 32, 64, 128, 256])
    .option('--json', 'print the report as one JSON object')
    .addHelpText('after', '\nThe recommendation is the smallest maxBatchSize whose throughput is within 5 % of the best measured.\n' +
      'Run it on the machine and disk where minions.db will live; results vary with load.')
    .action(async (options: { dir: string; samples: number; workflows: number; inFlight: number; batchSizes: number[]; json?: boolean }) => {
      const report = await tuneSqlite({
        dir: options.dir, samples: options.samples, workflows: options.workflows, inFlight: options.inFlight, batchSizes: options.batchSizes,
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report)}\n`);
        return;
      }
      process.stdout.write(`${renderTuneReport(report, options)}\n`);
    });
}
