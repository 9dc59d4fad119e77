import { formatAge, formatSize, formatTable } from './format';
import { minionsUnderSeveral, type SavedOrchestration } from './group-by-orchestration';
import type { SavedWorkflow } from './saved-workflows';

/**
 * The text `minions inspect` prints for at least one saved workflow: a table of the workflows
 * (WORKFLOW, ORCHESTRATION, NEXT STEP, AGE, SIZE), a table of the orchestrations (ORCHESTRATION,
 * MINION, WORKFLOWS, NEXT STEPS, OLDEST), the totals, and a note for each minion whose saved
 * workflows sit under several orchestrations. A failed workflow kept by `workflowFailurePolicy:
 * 'keep'` shows `FAILED in <step> (#i): <type>: <message>` as its next step, and is counted apart
 * (`failed: n`) in its orchestration's next steps and in the totals.
 * @returns the lines, without line breaks.
 */
export function textReport(workflows: readonly SavedWorkflow[], groups: readonly SavedOrchestration[]): string[] {
  const lines = formatTable([['WORKFLOW', 'ORCHESTRATION', 'NEXT STEP', 'AGE', 'SIZE'], ...workflows.map((w) => [
    w.workflowId, w.orchestrationId, nextStep(w),
    w.ageMs === null ? '-' : formatAge(w.ageMs), formatSize(w.sizeBytes),
  ])]);
  lines.push('', ...formatTable([['ORCHESTRATION', 'MINION', 'WORKFLOWS', 'NEXT STEPS', 'OLDEST'], ...groups.map((g) => [
    g.orchestrationId, g.minionId ?? '-', String(g.workflows), nextSteps(g), g.oldestAgeMs === null ? '-' : formatAge(g.oldestAgeMs),
  ])]));
  const failed = workflows.filter((w) => w.failure).length;
  lines.push('', `${workflows.length} saved unfinished workflow(s) in ${groups.length} orchestration(s)` +
    (failed > 0 ? `, ${failed} of them failed (kept by workflowFailurePolicy 'keep': never resumed on their own; retry or delete them)` : ''));
  for (const { minionId, orchestrationIds } of minionsUnderSeveral(groups)) {
    lines.push('',
      `Minion ${minionId} has saved workflows under ${orchestrationIds.length} orchestrations (it ran with another pipeline or config).`,
      'An orchestration resumes only its own: to let them finish, start each again with the pipeline and config it ran with;',
      'delete those no longer wanted.');
  }
  return lines;
}

function nextStep(w: SavedWorkflow): string {
  if (w.error) return `UNDECODABLE: ${w.error}`;
  if (w.failure) return `FAILED in ${w.failure.step} (#${w.nextStepIndex}): ${w.failure.type}: ${w.failure.message}`;
  return `${w.nextStep} (#${w.nextStepIndex})`;
}

/** `two (#1): 3, three (#2): 1`, and `failed: n`, `undecodable: n` when some are. */
function nextSteps(g: SavedOrchestration): string {
  const parts = g.nextSteps.map((s) => `${s.step} (#${s.index}): ${s.workflows}`);
  if (g.failed > 0) parts.push(`failed: ${g.failed}`);
  if (g.undecodable > 0) parts.push(`undecodable: ${g.undecodable}`);
  return parts.join(', ');
}
