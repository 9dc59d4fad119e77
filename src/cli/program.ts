import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { registerDoctor } from './commands/doctor';
import { registerInspect } from './commands/inspect';
import { registerDrain, registerRestart, registerStop } from './commands/orchestration-control';
import { registerRun } from './commands/run';
import { registerStamp } from './commands/stamp';
import { registerStatus } from './commands/status';
import { registerTune } from './commands/tune';
import { registerDelete, registerRetry, registerWorkflows } from './commands/workflows';

/** Adds one top-level command (with its options, help and action) to the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * The commands of the `minions` binary, in help order. A new command is a file in
 * `src/cli/commands/<name>.ts` exporting a {@link RegisterCommand}, listed here.
 */
export const COMMANDS: readonly RegisterCommand[] = [
  registerRun, registerStamp, registerDoctor, registerInspect, registerTune,
  registerStatus, registerDrain, registerStop, registerRestart, registerWorkflows, registerRetry, registerDelete,
];

function packageVersion(): string {
  // dist/src/cli/program.js and src/cli/program.ts both sit three levels below the package root.
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The `minions` command line: help, version, and the {@link COMMANDS}. Commander's own exits
 * are turned into exceptions (`exitOverride`, inherited by every command) so that `main` maps
 * them to the exit codes: help and version 0, usage errors 2. Without a command, the help is
 * printed on stderr as a usage error.
 *
 * @param program a fresh `Command`.
 * @param commands the commands to register; default {@link COMMANDS}.
 * @returns `program`, configured.
 */
export function buildProgram(program: Command, commands: readonly RegisterCommand[] = COMMANDS): Command {
  program
    .name('minions')
    .description('Minions for TypeScript: pipelines, durable step workflows and shared resources in one process')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText('after', '\nExit codes: 0 ok, 1 failure, 2 usage error.');
  for (const register of commands) register(program);
  return program;
}
