import type { Command } from 'commander';
import { groupByOrchestration } from '../inspect/group-by-orchestration';
import { readSavedWorkflows } from '../inspect/saved-workflows';
import { textReport } from '../inspect/text-report';

/**
 * `minions inspect <db> [--orchestration ID] [--json]`: lists the saved unfinished workflows of
 * a SQLite state file (see `readSavedWorkflows`), then sums them up per orchestration (see
 * `textReport`), or prints `No saved unfinished workflows.`; `--json` prints
 * `{ db, orchestrations: SavedOrchestration[], workflows: SavedWorkflow[] }` (a kept failed workflow
 * has `failure: { type, message, step, at }`; each orchestration counts its `failed`). Read-only. Exit 1
 * when the file cannot be read.
 */
export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('list saved unfinished workflows in a SQLite state file, by orchestration (read-only; the code is not needed)')
    .argument('<db>', 'the state file, e.g. minions.db')
    .option('--orchestration <id>', 'only this orchestration\'s workflows')
    .option('--json', 'print the orchestrations and workflows as JSON')
    .addHelpText('after', '\nAGE counts from the start of the workflow\'s first step ("-": not started). A workflow marked\n' +
      'UNDECODABLE was written by an incompatible version; the runtime skips it on resume and leaves it in place.\n' +
      'A workflow marked FAILED was kept by workflowFailurePolicy \'keep\' (error type, message and step shown):\n' +
      'it is never resumed on its own; retry it (Gru.retryWorkflow) or delete it (Gru.deleteWorkflow).\n' +
      'Saved workflows resume only when their own orchestration (the same minion, pipeline and config) starts again.')
    .action((db: string, options: { orchestration?: string; json?: boolean }) => {
      const workflows = readSavedWorkflows(db, { orchestrationId: options.orchestration });
      const orchestrations = groupByOrchestration(workflows);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ db, orchestrations, workflows }, null, 2)}\n`);
        return;
      }
      if (workflows.length === 0) {
        process.stdout.write('No saved unfinished workflows.\n');
        return;
      }
      for (const line of textReport(workflows, orchestrations)) process.stdout.write(`${line}\n`);
    });
}
