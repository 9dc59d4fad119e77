import type { Command } from 'commander';
import { loadRunEntry } from '../run/entry-file';
import { runOrchestrations } from '../run/run-orchestrations';

/**
 * `minions run <entry> [--json] [--exit-when-idle]`: starts the orchestrations an entry file
 * lists (see `loadRunEntry`, docs/reference/cli.md) and runs them until SIGINT/SIGTERM, then
 * shuts down gracefully (see `runOrchestrations`). Exit 0 after a graceful shutdown; 1 when
 * the entry cannot be loaded, the Gru cannot be created or a start fails.
 */
export function registerRun(program: Command): void {
  program
    .command('run')
    .description('start the orchestrations listed in an entry file and run until SIGINT/SIGTERM')
    .argument('<entry>', 'entry file: JSON { "orchestrations": [...] }, or a JS module (compiled TS) exporting `orchestrations`')
    .option('--json', 'print start results as JSON lines')
    .option('--exit-when-idle', 'shut down once every pipeline has completed and no workflow is in flight')
    .addHelpText('after', '\nEntry JSON: { "gru": { "stateStore": "minions.db", "metrics": { "port": 8081 } },\n' +
      '              "orchestrations": [{ "pipeline": "dist/feed.js", "minion": "dist/watcher.js", "configPath": "config.yaml" }] }\n' +
      'Paths are relative to the entry file. See docs/reference/cli.md.')
    .action(async (entry: string, options: { json?: boolean; exitWhenIdle?: boolean }) => {
      await runOrchestrations(await loadRunEntry(entry), options);
    });
}
