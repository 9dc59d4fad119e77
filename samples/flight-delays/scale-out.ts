/**
 * `npm run sample:scale-out -- --processes 3 [--input ...] [--limit n]`: the flight-delays sample
 * on N worker processes sharing a PostgreSQL database (checkpoints and the alerts table) and a
 * NATS JetStream stream (the flights). Loads the input into the stream (idempotently), starts the
 * workers (child processes of the sample with `--state` and `--source`), waits until every
 * flight's message is acknowledged and no checkpoint is left, stops them, and prints the summary
 * of `npm start` with each worker's figures. Exit codes: 0 done, 1 a worker failed, 2 usage
 * error (bad flag, input, URL, or a server that cannot be used), 130/143 after SIGINT/SIGTERM.
 */
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { readTotals } from './alert-log';
import { finiteNumber, positiveInteger, urlOption, USAGE_EXIT_CODE } from './cli';
import { BUNDLED_INPUTS, defaultFlightsFile, resolveInput } from './datasets';
import { PublishError, publishFlights } from './flight-publisher';
import { InputError, openFlights } from './input';
import { PostgresAlertsStore } from './postgres-alerts-store';
import { RunStats } from './run-stats';
import { parseSourceUrl, type NatsTarget } from './source-url';
import { parseStateUrl, type PostgresTarget } from './state-url';
import { buildSummary, formatSummary, type Summary } from './summary';
import { allDone, WorkWatcher } from './work-left';
import { WorkerProcess } from './worker-process';

/** Environment variables that give `--state` and `--source` their defaults. */
export const STATE_ENV = 'FLIGHT_DELAYS_STATE';
export const SOURCE_ENV = 'FLIGHT_DELAYS_SOURCE';

/** How often the stream's consumer and the checkpoint table are asked whether work is left. */
const WATCH_EVERY_MS = 250;

interface ScaleOutOptions {
  processes: number;
  input: string;
  limit?: number;
  threshold: number;
  state?: PostgresTarget;
  source?: NatsTarget;
  dataDir: string;
  json: boolean;
}

/** A worker's figures in the scale-out summary. */
export interface WorkerFigures {
  worker: number;
  pid?: number;
  processed: number;
  flightsPerSecond: number;
  peakRssMb: number;
  resumedWorkflows: number;
}

/** The summary of `npm start`, plus each worker's figures. */
export interface ScaleOutSummary extends Summary {
  processes: WorkerFigures[];
}

const fail = (message: string): void => { process.stderr.write(`flight-delays scale-out: ${message}\n`); };

function parse(args: string[]): ScaleOutOptions | number {
  const env = (name: string): string | undefined => process.env[name] || undefined;
  const program = new Command('sample:scale-out')
    .description('Runs the flight-delays sample on N worker processes over PostgreSQL and NATS JetStream.')
    .addOption(new Option('--processes <n>', 'worker processes').argParser(positiveInteger).default(3))
    .addOption(new Option('--input <file>', `flights file, or a bundled one: ${Object.keys(BUNDLED_INPUTS).join(', ')}`)
      .default(defaultFlightsFile(), 'vega-datasets flights-20k.json'))
    .addOption(new Option('--limit <flights>', 'only the first this many flights of the input').argParser(positiveInteger))
    .addOption(new Option('--threshold <minutes>', 'alert when delay >= this').argParser(finiteNumber).default(60))
    .addOption(new Option('--state <url>', `postgres://user:password@host:port/database[?schema=...] (default: $${STATE_ENV})`).argParser(urlOption(parseStateUrl)))
    .addOption(new Option('--source <url>', `nats://host:port[?stream=...] (default: $${SOURCE_ENV})`).argParser(urlOption(parseSourceUrl)))
    .addOption(new Option('--data-dir <dir>', 'the workers\' logs, in worker-<i>/logs').default('./data-scale-out'))
    .addOption(new Option('--json', 'print the summary as one JSON object (last line on stdout)').default(false))
    .allowExcessArguments(false)
    .exitOverride();
  try {
    program.parse(args, { from: 'user' });
    const o = program.opts<ScaleOutOptions>();
    const fromEnv = <T>(given: T | undefined, name: string, parseUrl: (v: string) => T, flag: string): T => {
      if (given !== undefined) return given;
      const value = env(name);
      if (value === undefined) throw new CommanderError(2, 'scale-out.missing', `error: ${flag} is required (or set ${name})\n`);
      try {
        return parseUrl(value);
      } catch (e) {
        throw new CommanderError(2, 'scale-out.bad-env', `error: ${name}=${value} is invalid. ${(e as Error).message}\n`);
      }
    };
    return {
      ...o, input: resolveInput(o.input),
      state: fromEnv(o.state, STATE_ENV, parseStateUrl, '--state <postgres url>'),
      source: fromEnv(o.source, SOURCE_ENV, parseSourceUrl, '--source <nats url>'),
    };
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.exitCode === 0) return 0;
    if (e.code.startsWith('scale-out.')) process.stderr.write(e.message);
    process.stderr.write('Run with --help to see the options.\n');
    return USAGE_EXIT_CODE;
  }
}

/** Runs the scale-out; resolves to the exit code. */
export async function scaleOut(args: string[]): Promise<number> {
  const options = parse(args);
  if (typeof options === 'number') return options;
  const state = options.state!;
  const source = options.source!;
  let input;
  try {
    input = await openFlights(options.input, { limit: options.limit });
  } catch (e) {
    if (e instanceof InputError) { fail(e.message); return USAGE_EXIT_CODE; }
    throw e;
  }
  try {
    const loaded = await publishFlights(source, input);
    fail(`${input.count} flights of ${input.path} in stream ${source.stream} at ${source.servers}: ${loaded.published} published now, ${loaded.alreadyInStream} already there`);
  } catch (e) {
    if (e instanceof PublishError) { fail(`--source ${e.message}`); return USAGE_EXIT_CODE; }
    throw e;
  }
  const alertsStore = new PostgresAlertsStore(state);
  const before = await readTotals(alertsStore).catch((e: Error) => e);
  if (before instanceof Error) { fail(`--state ${before.message}`); return USAGE_EXIT_CODE; }

  const workerArgs = (i: number): string[] => [
    '--input', input.path, ...(options.limit === undefined ? [] : ['--limit', String(options.limit)]), '--threshold', String(options.threshold),
    '--state', withParams(state.url, { schema: state.schema, lease_ms: state.leaseMs }),
    '--source', source.display, '--data-dir', resolve(options.dataDir, `worker-${i}`), '--metrics-port', '0',
  ];
  const watcher = await WorkWatcher.open(source, state);
  const stop = new AbortController();
  let signalExit = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signalExit = signal === 'SIGINT' ? 130 : 143;
    fail(`${signal} received: stopping the workers...`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const t0 = performance.now();
  const workers = Array.from({ length: options.processes }, (_, i) => new WorkerProcess(i + 1, workerArgs(i + 1)));
  fail(`started ${workers.length} workers: ${workers.map((w) => `worker ${w.number} pid ${w.pid}`).join(', ')}`);
  let failed: WorkerProcess | undefined;
  let seconds: number;
  try {
    // Polled: the servers announce no "all done" event. A worker that exits on its own has failed.
    for (;;) {
      failed = workers.find((w) => !w.running);
      if (failed || stop.signal.aborted) break;
      if (allDone(await watcher.left())) break;
      await new Promise((r) => setTimeout(r, WATCH_EVERY_MS));
    }
    seconds = (performance.now() - t0) / 1000;
  } finally {
    await watcher.close();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  if (failed) fail(`worker ${failed.number} (pid ${failed.pid}) exited with ${String(await failed.exited)} before the work was done:\n${failed.lastErrors()}`);
  const summaries = await Promise.all(workers.map((w) => w.stop()));
  const totals = await readTotals(alertsStore);
  const processes: WorkerFigures[] = workers.map((w, i) => {
    const s = summaries[i];
    return { worker: w.number, pid: w.pid, processed: s?.processedThisRun ?? 0, flightsPerSecond: s?.flightsPerSecond ?? 0, peakRssMb: s?.peakRssMb ?? 0, resumedWorkflows: s?.resumedWorkflows ?? 0 };
  });
  const processed = processes.reduce((sum, p) => sum + p.processed, 0);
  const interrupted = failed !== undefined || stop.signal.aborted;
  const base = buildSummary({ totals, stats: new RunStats(), seconds, resumedWorkflows: 0, interrupted }, input.count, options.threshold);
  const summary: ScaleOutSummary = {
    ...base, processedThisRun: processed, flightsPerSecond: Math.round(processed / seconds), alreadyDone: before.flights,
    resumedWorkflows: processes.reduce((sum, p) => sum + p.resumedWorkflows, 0), peakRssMb: Math.max(...processes.map((p) => p.peakRssMb)), processes,
  };
  process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `${formatScaleOut(summary)}\n`);
  return failed ? 1 : signalExit;
}

/** The summary of `npm start`, then a line per worker. */
export function formatScaleOut(s: ScaleOutSummary): string {
  const lines = [formatSummary(s).replace(/^Flight delays/, `Flight delays on ${s.processes.length} processes`).replace(/peak RSS (\S+) MiB/, 'peak RSS $1 MiB (largest worker)')];
  lines.push('Workers:');
  for (const p of s.processes) {
    lines.push(`  worker ${p.worker} (pid ${p.pid ?? '?'}): ${p.processed.toLocaleString('en-US')} flights (${p.flightsPerSecond.toLocaleString('en-US')}/s), ` +
      `peak RSS ${p.peakRssMb} MiB${p.resumedWorkflows > 0 ? `, ${p.resumedWorkflows} workflows resumed` : ''}`);
  }
  return lines.join('\n');
}

/** The URL with these query parameters set. */
function withParams(url: string, params: Record<string, string | number>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, String(v));
  return u.toString();
}

if (require.main === module) {
  scaleOut(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; setTimeout(() => process.exit(code), 2000).unref(); },
    (e: unknown) => {
      process.stderr.write(`flight-delays scale-out: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
