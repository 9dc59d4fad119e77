import type { SavedWorkflow } from '../../index';
import { formatAge, formatTable } from '../inspect/format';

/**
 * The text `minions workflows` prints: a table (WORKFLOW, ORCHESTRATION, STATE, NEXT STEP, AGE),
 * then each failed workflow's error, then the count; or `No saved workflows.`.
 * @param now the current time (ms since the epoch), for the AGE column.
 * @returns the lines, without line breaks.
 */
export function workflowsReport(workflows: readonly SavedWorkflow[], now: number = Date.now()): string[] {
  if (workflows.length === 0) return ['No saved workflows.'];
  const lines = formatTable([
    ['WORKFLOW', 'ORCHESTRATION', 'STATE', 'NEXT STEP', 'AGE'],
    ...workflows.map((w) => [
      w.workflowId, w.orchestrationId, w.state, `${w.nextStepName} (#${w.nextStepIndex})`,
      w.startedAt === null ? '-' : formatAge(now - Date.parse(w.startedAt)),
    ]),
  ]);
  const failed = workflows.filter((w) => w.error !== null);
  if (failed.length > 0) lines.push('');
  for (const w of failed) lines.push(`Workflow ${w.workflowId} failed in step ${w.error!.step}: ${w.error!.type}: ${w.error!.message}`);
  lines.push('', `${workflows.length} saved workflow(s)`);
  return lines;
}
