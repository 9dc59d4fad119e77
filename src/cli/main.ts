#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './cli-error';
import { buildProgram } from './program';

/**
 * Runs the `minions` binary on `argv` (`process.argv` form) and resolves with its exit code:
 * 0 ok, 1 failure, 2 usage (a bad command line; commander's own errors). `--help` and
 * `--version` are 0. A {@link CliError} ends with its code and message; any other error is a
 * failure (1), printed as `minions: <message>`.
 */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(new Command());
  try {
    await program.parseAsync(argv);
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof CliError) {
      if (e.message) process.stderr.write(`minions: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`minions: ${(e as Error)?.message ?? String(e)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  // A reader that stops early (`minions inspect db | head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  void main(process.argv).then((code) => {
    process.exitCode = code;
    // Commands that ran user code (`run`) may leave handles open; do not hang on them.
    setTimeout(() => process.exit(code), 2000).unref();
  });
}
