import { CheckpointDecodeError, decodeCheckpoint } from '../core/codec/checkpoint-codec';
import { InvalidArgumentError, OrchestrationNotFoundError, WorkflowContextTypeMismatchError } from '../core/errors';
import type { StoredContext } from '../core/ports/state-store';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { decodeSaved } from '../core/workflow/decode-saved';
import { clearFailure } from '../core/workflow/failure-mark';
import type { Orchestration } from './orchestration';
import { savedShape } from './start-plan';

/**
 * Runs a failed workflow kept by `workflowFailurePolicy: 'keep'` again, in its running
 * orchestration, from the step that failed with the context saved before that step. Durable:
 * the checkpoint is first saved again without its failure mark, so a crash during the retry
 * resumes it at the next start like any unfinished workflow; then it is queued to the intake.
 * The retried run ends like any workflow (deleted when it succeeds; kept again if it fails again).
 * Nothing is changed when it is refused.
 * @param orchestration - its orchestration, when it runs in this Gru.
 * @throws InvalidArgumentError when the row is not a kept failed workflow (or does not decode),
 *   or its orchestration is not `running` (draining, stopping); OrchestrationNotFoundError when
 *   its orchestration does not run in this Gru; WorkflowContextTypeMismatchError when it no longer
 *   fits the orchestration's event/context classes or step list; the store's write error.
 */
export async function retryKeptWorkflow(services: RuntimeServices, row: StoredContext, orchestration: Orchestration | undefined): Promise<void> {
  const { workflowId, orchestrationId } = row;
  const failure = failureOf(row, services);
  if (!orchestration) throw new OrchestrationNotFoundError(orchestrationId);
  if (orchestration.state !== 'running') {
    throw new InvalidArgumentError(`Orchestration ${orchestrationId} is ${orchestration.state}: workflow ${workflowId} can be retried only while it runs.`);
  }
  const { plan } = orchestration;
  const cleared = { ...row, context: clearFailure(row.context) };
  const decoded = decodeSaved([cleared], savedShape(plan), services.log, orchestration.logFields);
  if (decoded.mismatched.length > 0) {
    throw new WorkflowContextTypeMismatchError(
      `Failed workflow ${workflowId} no longer fits ${plan.minionCls.name} (orchestration ${orchestrationId}): ${decoded.mismatched[0].reason}. ` +
      'Nothing was changed. Run the code it failed with to retry it, or delete it (Gru.deleteWorkflow).', 1);
  }
  if (decoded.states.length === 0) {
    throw new InvalidArgumentError(`Workflow ${workflowId}'s checkpoint names another workflow (logged): it cannot be retried; delete it.`);
  }
  await services.store.saveContext(workflowId, orchestrationId, cleared.context);
  services.log.log('info', 'Retrying kept failed workflow', {
    ...orchestration.logFields, workflow_id: workflowId, step: failure.step, error_type: failure.type,
  });
  orchestration.intake.resume(decoded.states);
}

function failureOf(row: StoredContext, services: RuntimeServices): { type: string; step: string } {
  let envelope;
  try {
    envelope = decodeCheckpoint(row.context);
  } catch (e) {
    if (!(e instanceof CheckpointDecodeError)) throw e;
    throw new InvalidArgumentError(`Workflow ${row.workflowId} cannot be retried: its checkpoint does not decode (${e.message}).`, { cause: e });
  }
  if (envelope.failure === undefined) {
    const now = services.activeWorkflows.has(row.workflowId) ? 'running' : 'waiting to resume';
    throw new InvalidArgumentError(`Workflow ${row.workflowId} (orchestration ${row.orchestrationId}) is not a failed workflow (it is ${now}): ` +
      "only failed workflows kept by workflowFailurePolicy 'keep' can be retried.");
  }
  return envelope.failure;
}
