import type { Command } from 'commander';
import { formatAge, formatSize, formatTable } from '../inspect/format';
import { readSavedWorkflows } from '../inspect/saved-workflows';

/**
 * `minions inspect <db> [--orchestration ID] [--json]`: lists the saved unfinished workflows of
 * a SQLite state file (see `readSavedWorkflows`): a table WORKFLOW, ORCHESTRATION, NEXT STEP,
 * AGE, SIZE and a count per orchestration, or `No saved unfinished workflows.`; `--json`
 * prints `{ db, workflows: SavedWorkflow[] }`. Read-only. Exit 1 when the file cannot be read.
 */
export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description('list saved unfinished workflows in a SQLite state file (read-only; the code is not needed)')
    .argument('<db>', 'the state file, e.g. minions.db')
    .option('--orchestration <id>', 'only this orchestration\'s workflows')
    .option('--json', 'print the workflows as JSON')
    .addHelpText('after', '\nAGE counts from the start of the workflow\'s first step ("-": not started). A workflow marked\n' +
      'UNDECODABLE was written by an incompatible version; the runtime skips it on resume and leaves it in place.')
    .action((db: string, options: { orchestration?: string; json?: boolean }) => {
      const workflows = readSavedWorkflows(db, { orchestrationId: options.orchestration });
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ db, workflows }, null, 2)}\n`);
        return;
      }
      if (workflows.length === 0) {
        process.stdout.write('No saved unfinished workflows.\n');
        return;
      }
      const rows = workflows.map((w) => [
        w.workflowId, w.orchestrationId, w.error ? `UNDECODABLE: ${w.error}` : `${w.nextStep} (#${w.nextStepIndex})`,
        w.ageMs === null ? '-' : formatAge(w.ageMs), formatSize(w.sizeBytes),
      ]);
      for (const line of formatTable([['WORKFLOW', 'ORCHESTRATION', 'NEXT STEP', 'AGE', 'SIZE'], ...rows])) process.stdout.write(`${line}\n`);
      const perOrchestration = new Map<string, number>();
      for (const w of workflows) perOrchestration.set(w.orchestrationId, (perOrchestration.get(w.orchestrationId) ?? 0) + 1);
      process.stdout.write(`\n${workflows.length} saved unfinished workflow(s) in ${perOrchestration.size} orchestration(s)\n`);
    });
}
