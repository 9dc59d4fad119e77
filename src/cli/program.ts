import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

function packageVersion(): string {
  // dist/src/cli/program.js and src/cli/program.ts both sit three levels below the package root.
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The `minions` command line. Commands (`run`, `stamp`, `doctor`, `inspect`) are added by the
 * identity/CLI work; this is the shared frame: help, version, usage errors with exit code 2.
 */
export function buildProgram(program: Command): Command {
  return program
    .name('minions')
    .description('Minions for TypeScript: pipelines, durable step workflows and shared resources in one process')
    .version(packageVersion(), '-v, --version')
    .exitOverride()
    .showHelpAfterError('(run minions --help for usage)')
    .action(() => { program.outputHelp(); });
}
