import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BUNDLED_INPUTS, defaultFlightsFile, resolveInput } from './datasets';
import { parseSourceUrl, type NatsTarget } from './source-url';
import { parseStateUrl, type PostgresTarget } from './state-url';

/** The command line, validated. */
export interface CliOptions {
  /** Flights file (`.json` array, `.ndjson` or `.parquet`), a bundled file's short name resolved. */
  input: string;
  /** Only the first this many flights of the input; `undefined`: all. */
  limit?: number;
  /** Alert threshold, minutes. */
  threshold: number;
  /** Directory of `alerts.db`, `minions.db` and `logs/`. */
  dataDir: string;
  /** Print the summary as one JSON line on stdout. */
  json: boolean;
  /** Port of the Prometheus `/metrics` endpoint; 0 picks a free port. */
  metricsPort: number;
  /** How long the disk may stay full before the run ends with exit code 1, seconds. */
  diskFullTimeout: number;
  /** `--state postgres://...`: checkpoints and tables in PostgreSQL instead of the data directory. */
  state?: PostgresTarget;
  /** `--source nats://...`: flights from a JetStream stream instead of the input file. */
  source?: NatsTarget;
}

/** Either options to run with, or an exit code (help shown, or a usage error already reported). */
export type CliResult = { kind: 'run'; options: CliOptions } | { kind: 'exit'; code: number };

/** Exit code of a usage error: an unknown flag, a bad value, a bad input file. */
export const USAGE_EXIT_CODE = 2;

export function finiteNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('Expected a number (minutes).');
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Expected a positive number of seconds.');
  return n;
}

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Expected a positive integer.');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError('Expected a port number 0..65535 (0: any free port).');
  return n;
}

/** A commander parser from one that throws a plain error. */
export const urlOption = <T>(parse: (value: string) => T) => (value: string): T => {
  try {
    return parse(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
};

/** The commander program of the sample. Errors and help go through `write*`. */
export function createProgram(write: { out: (s: string) => void; err: (s: string) => void }): Command {
  return new Command('flight-delays')
    .description('Raises an alert for every flight delayed by at least the threshold; resumable after a crash.')
    .addOption(new Option('--input <file>', 'flights as a .json array, .ndjson lines or .parquet (date, delay, distance, origin, destination); ' +
      `or a bundled vega-datasets file: ${Object.keys(BUNDLED_INPUTS).join(', ')}`)
      .default(defaultFlightsFile(), 'vega-datasets flights-20k.json'))
    .addOption(new Option('--limit <flights>', 'only the first this many flights of the input').argParser(positiveInteger))
    .addOption(new Option('--threshold <minutes>', 'alert when delay >= this').argParser(finiteNumber).default(60))
    .addOption(new Option('--data-dir <dir>', 'directory of alerts.db, minions.db and logs/').default('./data'))
    .addOption(new Option('--json', 'print the summary as one JSON object (last line on stdout)').default(false))
    .addOption(new Option('--metrics-port <port>', 'port of Prometheus /metrics and the admin API, 0 = any free port').argParser(port).default(8081))
    .addOption(new Option('--disk-full-timeout <seconds>', 'end the run (exit 1) when the disk stays full this long; work resumes on the next run')
      .argParser(seconds).default(300))
    .addOption(new Option('--state <url>', 'postgres://user:password@host:port/database[?schema=flight_delays&lease_ms=10000]: checkpoints and ' +
      'the alerts/verdicts tables in PostgreSQL, shared by every worker (default: SQLite files in --data-dir)').argParser(urlOption(parseStateUrl)))
    .addOption(new Option('--source <url>', 'nats://host:port[?stream=FLIGHTS&consumer=flight-delays&ack_wait_ms=10000]: flights from a JetStream ' +
      'stream loaded by `npm run sample:scale-out` (default: the --input file); runs until SIGTERM/SIGINT').argParser(urlOption(parseSourceUrl)))
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err });
}

/**
 * Parses the arguments (without `node` and the script). On a usage error commander has already
 * written the message; the result is then exit code 2.
 */
export function parseCli(args: string[], write = { out: (s: string) => { process.stdout.write(s); }, err: (s: string) => { process.stderr.write(s); } }): CliResult {
  const program = createProgram(write);
  try {
    program.parse(args, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.exitCode === 0) return { kind: 'exit', code: 0 };
    write.err(`Run with --help to see the options.\n`);
    return { kind: 'exit', code: USAGE_EXIT_CODE };
  }
  const o = program.opts<Omit<CliOptions, 'input'> & { input: string }>();
  return {
    kind: 'run',
    options: {
      input: resolveInput(o.input), limit: o.limit, threshold: o.threshold, dataDir: o.dataDir, json: o.json, metricsPort: o.metricsPort,
      diskFullTimeout: o.diskFullTimeout, state: o.state, source: o.source,
    },
  };
}
