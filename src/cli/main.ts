#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { buildProgram } from './program';

/** Entry of the `minions` binary. Exit codes: 0 ok, 1 failure, 2 usage. */
async function main(argv: string[]): Promise<number> {
  const program = buildProgram(new Command());
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    process.stderr.write(`minions: ${(e as Error)?.message ?? String(e)}\n`);
    return 1;
  }
}

main(process.argv).then((code) => { process.exitCode = code; });
