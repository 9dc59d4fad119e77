import { WorkflowContextTypeMismatchError } from '../core/errors';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { decodeSaved } from '../core/workflow/decode-saved';
import type { WorkflowState } from '../core/workflow/outcome';
import type { StartPlan } from './start-plan';

/**
 * Reads and decodes an orchestration's saved workflows (SEMANTICS 5, "Resume on start"):
 * undecodable rows are logged and skipped, ids still running in this process are not taken
 * twice, and rows that no longer fit the classes or the step list fail the start.
 * @throws WorkflowContextTypeMismatchError (count and remedy), or the store's read error.
 */
export async function loadSaved(services: RuntimeServices, plan: StartPlan, fields: Record<string, string>): Promise<WorkflowState[]> {
  const stored = await services.store.getContextsForOrchestration(plan.identity.orchestrationId);
  const rows = stored.filter((r) => !services.activeWorkflows.has(r.workflowId));
  if (rows.length < stored.length) {
    services.log.log('warn', 'Saved workflows still running in this process were not resumed twice', {
      ...fields, skipped_workflows: stored.length - rows.length,
      suggestion: 'A previous stop abandoned them; restart the process to resume them safely.',
    });
  }
  const decoded = decodeSaved(rows, {
    event: plan.minionMeta.event as new () => object, context: plan.minionMeta.context as new () => object,
    fingerprint: plan.fingerprint, stepCount: plan.steps.length,
  }, services.log, fields);
  if (decoded.mismatched.length > 0) {
    throw new WorkflowContextTypeMismatchError(
      `${decoded.mismatched.length} saved workflow(s) of ${plan.minionCls.name} (orchestration ${plan.identity.orchestrationId}) no longer fit ` +
      `its event/context classes or step list (first: ${decoded.mismatched[0].workflowId}: ${decoded.mismatched[0].reason}). ` +
      `Nothing was changed. Restore the previous classes and let the workflows finish (drain), or delete those checkpoints ` +
      `(minions inspect lists them) before starting the new version.`, decoded.mismatched.length);
  }
  return decoded.states;
}
