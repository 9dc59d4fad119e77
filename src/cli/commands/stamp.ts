import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { collectProjectFiles, type FileSelection } from '../ids/project-files';
import { stampFiles } from '../ids/stamp-files';
import { loadTypeScript } from '../ids/typescript';

const TARGETS: ReadonlyArray<{ name: string; alias?: string; selection: FileSelection; summary: string }> = [
  { name: 'ids', alias: 'component-ids', selection: { sources: true, configs: false },
    summary: 'add a UUID id to every @minion/@pipeline/@resource decorator that has none (TypeScript sources)' },
  { name: 'config-ids', selection: { sources: false, configs: true },
    summary: 'add _minions_config_id to every JSON/YAML/TOML config file that has none' },
  { name: 'all', selection: { sources: true, configs: true }, summary: 'both: sources and config files' },
];

/**
 * `minions stamp ids|config-ids|all <paths..> [--dry-run] [--json]`: writes durable ids into
 * the files. Prints one line per stamped place (`file:line: stamped Class (@kind)
 * with id ...`) or per unchanged file; `--json` prints the entries as one JSON array.
 * Exit 1 when a path is missing or of the wrong kind, or when a file could not be stamped (the
 * others are stamped all the same).
 */
export function registerStamp(program: Command): void {
  const stamp = program
    .command('stamp')
    .description('add missing durable ids: component ids to TypeScript sources, _minions_config_id to config files')
    .addHelpText('after', '\nPaths are files or directories (walked recursively, skipping hidden ones, node_modules, dist, build, out, coverage\n' +
      'and other tools\' files such as package.json and tsconfig.json). Formatting and comments are kept.');
  for (const target of TARGETS) {
    const sub = stamp
      .command(target.name)
      .description(target.summary)
      .argument('<paths...>', 'files or directories')
      .option('--dry-run', 'print what would be stamped, change nothing')
      .option('--json', 'print the result as JSON')
      .action((paths: string[], options: { dryRun?: boolean; json?: boolean }) => {
        if (target.selection.sources) loadTypeScript('stamp');
        const entries = stampFiles(collectProjectFiles(paths, target.selection), { dryRun: options.dryRun });
        if (options.json) {
          process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
        } else {
          for (const e of entries) (e.action === 'error' ? process.stderr : process.stdout).write(`${e.message}\n`);
        }
        const failed = entries.filter((e) => e.action === 'error').length;
        if (failed > 0) throw new CliError(`${failed} file(s) could not be stamped`);
      });
    if (target.alias) sub.alias(target.alias);
  }
}
