import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { Placement } from './run';

/** The command line, validated. */
export interface CliOptions {
  isolation: Placement;
  /** Only the first this many flights; `undefined`: all 20,000. */
  limit?: number;
  /** Index of the flight whose fingerprint call segfaults its host (once); `undefined`: none. */
  crashAt?: number;
  /** Print the summary as one JSON line. */
  json: boolean;
}

/** Either options to run with, or an exit code (help shown, or a usage error already reported). */
export type CliResult = { kind: 'run'; options: CliOptions } | { kind: 'exit'; code: number };

/** Exit code of a usage error. */
export const USAGE_EXIT_CODE = 2;

function integer(min: number, what: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`Expected ${what}.`);
    return n;
  };
}

/** Why `--crash-at` is refused with `--isolation none`. */
export const CRASH_IN_PROCESS = '--crash-at needs --isolation worker or process: with --isolation none the "native" ' +
  'fingerprint runs in this process, and its segfault would kill the whole run (which is what isolating it prevents).';

/**
 * Parses the arguments (without `node` and the script). On a usage error the message is
 * already written; the result is then exit code 2.
 */
export function parseCli(args: string[], write = { out: (s: string) => { process.stdout.write(s); }, err: (s: string) => { process.stderr.write(s); } }): CliResult {
  const program = new Command('route-stats')
    .description('Great-circle route statistics over real flights, with a CPU-heavy resource and a crash-prone "native" one.')
    .addOption(new Option('--isolation <kind>', 'where the CPU-heavy resource runs').choices(['none', 'worker', 'process']).default('worker'))
    .addOption(new Option('--limit <flights>', 'only the first this many flights of flights-20k.json').argParser(integer(1, 'a positive integer (flights)')))
    .addOption(new Option('--crash-at <index>', 'segfault the fingerprint\'s child process on this flight (0-based), once').argParser(integer(0, 'a flight index (0, 1, ...)')))
    .addOption(new Option('--json', 'print the summary as one JSON line').default(false))
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: write.out, writeErr: write.err });
  try {
    program.parse(args, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.exitCode === 0) return { kind: 'exit', code: 0 };
    write.err('Run with --help to see the options.\n');
    return { kind: 'exit', code: USAGE_EXIT_CODE };
  }
  const o = program.opts<{ isolation: Placement; limit?: number; crashAt?: number; json: boolean }>();
  if (o.isolation === 'none' && o.crashAt !== undefined) {
    write.err(`route-stats: ${CRASH_IN_PROCESS}\n`);
    return { kind: 'exit', code: USAGE_EXIT_CODE };
  }
  return { kind: 'run', options: { isolation: o.isolation, limit: o.limit, crashAt: o.crashAt, json: o.json } };
}
