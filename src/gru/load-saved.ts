import { WorkflowContextTypeMismatchError } from '../core/errors';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { errorFields } from '../core/runtime/safe-logger';
import { decodeSaved, type DecodedSaved } from '../core/workflow/decode-saved';
import type { WorkflowState } from '../core/workflow/outcome';
import { findSavedElsewhere, type SavedElsewhere } from '../core/workflow/saved-elsewhere';
import { savedShape, type StartPlan } from './start-plan';
import { redelivers } from './orchestration';

/**
 * Reads and decodes an orchestration's saved workflows:
 * undecodable rows are logged and skipped, failed ones kept by `workflowFailurePolicy: 'keep'`
 * are left in place (one info line counts them), ids still running in this process are not taken
 * twice, and rows that no longer fit the classes or the step list fail the start. Then warns
 * about saved workflows of the same minion that this start leaves behind (see {@link warnSavedElsewhere}).
 * For a redelivering pipeline (`Pipeline.deliveryOf`) nothing is claimed: the rows are read and
 * checked, and returned only for a store without `claimContext` (the runtime keeps them until their
 * event comes back); with it, each is claimed when its message is delivered again.
 * @param isActive - whether an orchestration id runs, or is starting, in this process.
 * @throws WorkflowContextTypeMismatchError (count and remedy), or the store's read error.
 */
export async function loadSaved(services: RuntimeServices, plan: StartPlan, fields: Record<string, string>,
  isActive: (orchestrationId: string) => boolean = () => false): Promise<WorkflowState[]> {
  // A shared store hands out only this process's checkpoints and those of processes that are gone.
  const store = services.store;
  const byMessage = redelivers(plan);
  const stored = typeof store.claimContextsForOrchestration === 'function' && !byMessage
    ? await store.claimContextsForOrchestration(plan.identity.orchestrationId)
    : await store.getContextsForOrchestration(plan.identity.orchestrationId);
  await warnSavedElsewhere(services, plan, fields, isActive);
  const rows = stored.filter((r) => !services.activeWorkflows.has(r.workflowId));
  if (rows.length < stored.length) {
    services.log.log('warn', 'Saved workflows still running in this process were not resumed twice', {
      ...fields, skipped_workflows: stored.length - rows.length,
      suggestion: 'A previous stop abandoned them; restart the process to resume them safely.',
    });
  }
  const decoded = decodeSaved(rows, savedShape(plan), services.log, fields);
  if (decoded.keptFailed > 0) {
    services.log.log('info', 'Kept failed workflows were not resumed', {
      ...fields, kept_failed_workflows: decoded.keptFailed,
    });
  }
  if (decoded.mismatched.length > 0) throw misfitError(plan, decoded.mismatched);
  if (byMessage && typeof store.claimContext === 'function') return [];
  return decoded.states;
}

/** The start-failing error for saved workflows that no longer fit `plan` (count, first one, remedy). */
export function misfitError(plan: StartPlan, mismatched: DecodedSaved['mismatched']): WorkflowContextTypeMismatchError {
  return new WorkflowContextTypeMismatchError(
    `${mismatched.length} saved workflow(s) of ${plan.minionCls.name} (orchestration ${plan.identity.orchestrationId}) no longer fit ` +
    `its event/context classes or step list (first: ${mismatched[0].workflowId}: ${mismatched[0].reason}). ` +
    `Nothing was changed. Restore the previous classes and let the workflows finish (drain), or delete those checkpoints ` +
    `(minions inspect lists them) before starting the new version.`, mismatched.length);
}

/**
 * Logs one warning per other orchestration id holding saved workflows of this minion (the same
 * minion ran with another pipeline or config, so its orchestration id differs), unless that
 * orchestration runs or is starting in this process: nothing else would tell that they wait
 * for a start that may never come. A failed look is logged and does not fail the start.
 */
async function warnSavedElsewhere(services: RuntimeServices, plan: StartPlan, fields: Record<string, string>,
  isActive: (orchestrationId: string) => boolean): Promise<void> {
  let found: SavedElsewhere[];
  try {
    found = await findSavedElsewhere(services.store, plan.identity, isActive);
  } catch (e) {
    services.log.log('warn', 'Could not look for saved workflows of this minion under other orchestrations', { ...fields, ...errorFields(e) });
    return;
  }
  for (const other of found) {
    services.log.log('warn', 'Saved workflows of this minion belong to another orchestration and will not resume', {
      ...fields, other_orchestration_id: other.orchestrationId, saved_workflows: other.count,
      suggestion: `${other.count} workflow(s) of ${plan.minionCls.name} were saved under orchestration ${other.orchestrationId}, ` +
        'when it ran with another pipeline or config; this orchestration resumes only its own. To let them finish, ' +
        `start ${other.orchestrationId} again with the pipeline and config it ran with; if they are no longer wanted, ` +
        'delete them. `minions inspect <state file>` lists them by orchestration.',
    });
  }
}
