/**
 * How a workflow ended (SEMANTICS 4): `succeeded`, `aborted` (AbortWorkflow) and `failed` are
 * terminal and delete the checkpoint; `interrupted` (stop, shutdown, a step rejecting after
 * the signal aborted) keeps it, and the workflow continues from its saved step on the next start.
 */
export type WorkflowOutcome = 'succeeded' | 'aborted' | 'failed' | 'interrupted';

/** The identities an orchestration is known by in logs and metrics (SEMANTICS 2, 9). */
export interface OrchestrationIdentity {
  orchestrationId: string;
  minionId: string;
  pipelineId: string;
  configId: string;
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
