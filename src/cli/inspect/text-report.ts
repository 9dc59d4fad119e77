import { formatAge, formatSize, formatTable } from './format';
import { minionsUnderSeveral, type SavedOrchestration } from './group-by-orchestration';
import type { SavedWorkflow } from './saved-workflows';

/**
 * The text `minions inspect` prints for at least one saved workflow: a table of the workflows
 * (WORKFLOW, ORCHESTRATION, NEXT STEP, AGE, SIZE), a table of the orchestrations (ORCHESTRATION,
 * MINION, WORKFLOWS, NEXT STEPS, OLDEST), the totals, and a note for each minion whose saved
 * workflows sit under several orchestrations.
 * @returns the lines, without line breaks.
 */
export function textReport(workflows: readonly SavedWorkflow[], groups: readonly SavedOrchestration[]): string[] {
  const lines = formatTable([['WORKFLOW', 'ORCHESTRATION', 'NEXT STEP', 'AGE', 'SIZE'], ...workflows.map((w) => [
    w.workflowId, w.orchestrationId, w.error ? `UNDECODABLE: ${w.error}` : `${w.nextStep} (#${w.nextStepIndex})`,
    w.ageMs === null ? '-' : formatAge(w.ageMs), formatSize(w.sizeBytes),
  ])]);
  lines.push('', ...formatTable([['ORCHESTRATION', 'MINION', 'WORKFLOWS', 'NEXT STEPS', 'OLDEST'], ...groups.map((g) => [
    g.orchestrationId, g.minionId ?? '-', String(g.workflows), nextSteps(g), g.oldestAgeMs === null ? '-' : formatAge(g.oldestAgeMs),
  ])]));
  lines.push('', `${workflows.length} saved unfinished workflow(s) in ${groups.length} orchestration(s)`);
  for (const { minionId, orchestrationIds } of minionsUnderSeveral(groups)) {
    lines.push('',
      `Minion ${minionId} has saved workflows under ${orchestrationIds.length} orchestrations (it ran with another pipeline or config).`,
      'An orchestration resumes only its own: to let them finish, start each again with the pipeline and config it ran with;',
      'delete those no longer wanted.');
  }
  return lines;
}

/** `two (#1): 3, three (#2): 1`, and `undecodable: n` when some are. */
function nextSteps(g: SavedOrchestration): string {
  const parts = g.nextSteps.map((s) => `${s.step} (#${s.index}): ${s.workflows}`);
  if (g.undecodable > 0) parts.push(`undecodable: ${g.undecodable}`);
  return parts.join(', ');
}
