import type { OrchestrationIdentity as OrchestrationParts } from '../identity/orchestration-id';

/**
 * How a workflow ended: `succeeded`, `aborted` (AbortWorkflow) and `failed` are
 * terminal and delete the checkpoint (under `workflowFailurePolicy: 'keep'`, `failed` keeps it,
 * marked failed, and it is never resumed on its own); `interrupted` (stop, shutdown, a step rejecting after
 * the signal aborted) keeps it, and the workflow continues from its saved step on the next start.
 */
export type WorkflowOutcome = 'succeeded' | 'aborted' | 'failed' | 'interrupted';

/** The three identities of an orchestration plus the id computed from them. */
export interface OrchestrationIdentity extends OrchestrationParts {
  orchestrationId: string;
}

/** The log fields naming an orchestration, carried by every runtime line about it. */
export function identityLogFields(i: OrchestrationIdentity): Record<string, string> {
  return { orchestration_id: i.orchestrationId, minion_id: i.minionId, pipeline_id: i.pipelineId, minion_config_id: i.configId };
}

/** One workflow to run: a live event (index 0) or a decoded checkpoint. */
export interface WorkflowState {
  workflowId: string;
  event: unknown;
  context: unknown;
  nextIndex: number;
  /** Epoch milliseconds at step 0, null before it ran. */
  startedAt: number | null;
  /** Live workflows save a `workflow_start` checkpoint; resumed ones do not. */
  live: boolean;
}
