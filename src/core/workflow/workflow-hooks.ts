import type { WorkflowOutcome } from './outcome';

/** A step about to run, as {@link WorkflowHooks.beforeStep} sees it. */
export interface StepStartInfo {
  orchestrationId: string;
  workflowId: string;
  /** Step name (the method name). */
  step: string;
  /** 0-based index in the step list. */
  stepIndex: number;
  /** The workflow's stop signal (`this.signal`). */
  signal: AbortSignal;
}

/** A workflow that reached an outcome, as {@link WorkflowHooks.workflowEnded} sees it. */
export interface WorkflowEndInfo {
  orchestrationId: string;
  workflowId: string;
  outcome: WorkflowOutcome;
  event: unknown;
  /** The context as the workflow left it (live object: copy before keeping). */
  context: unknown;
  /** The error of a failed or aborted workflow. */
  error?: unknown;
}

/** An orchestration that stopped, as {@link WorkflowHooks.orchestrationStopped} sees it. */
export interface OrchestrationStopInfo {
  orchestrationId: string;
  /** `failed` when a runtime failure stopped it (a full disk past its deadline, a failed resource). */
  state: 'stopped' | 'failed';
  /** Why it failed, when it did. */
  error?: Error;
  /** Workflows left with a checkpoint: they resume on the next start. */
  unfinishedWorkflows: number;
}

/**
 * Observation points of the workflow runner, for tests and tracing (`GruOptions.hooks`).
 * Hooks run inside the workflow; a hook that throws is logged and ignored.
 */
export interface WorkflowHooks {
  /**
   * Runs after the `before_step` checkpoint is saved and before the step itself: awaiting
   * here holds the workflow between two steps (the harness uses it to interrupt one).
   */
  beforeStep?(info: StepStartInfo): void | Promise<void>;
  /** Runs once per workflow run, after its outcome (interrupted included) is final. */
  workflowEnded?(info: WorkflowEndInfo): void;
  /** Runs once per orchestration stop, after it left the Gru (whatever stopped it). */
  orchestrationStopped?(info: OrchestrationStopInfo): void;
}
