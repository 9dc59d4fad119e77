import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is calling a tracked resource method. */
export type CallerKind = 'minion' | 'pipeline' | 'resource' | 'unknown';

/** Read-only handle of the running workflow, as `this.workflow` returns it. */
export interface WorkflowHandle {
  readonly orchestrationId: string;
  readonly workflowId: string;
}

/**
 * What AsyncLocalStorage carries through a workflow step, a producer call or a resource call.
 * One object per workflow (steps share it); resource calls derive a child with a new caller.
 */
export interface ExecutionScope {
  callerKind: CallerKind;
  /** Identity of the immediate caller (minion, pipeline or resource id). */
  caller: string;
  /** Orchestration id inside a workflow, `''` elsewhere. */
  orchestrationId: string;
  /** The minion instance running this workflow, when inside one. */
  owner?: object;
  event?: unknown;
  context?: unknown;
  workflow?: WorkflowHandle;
  signal?: AbortSignal;
  /** Name of the step running now, used to refuse a step calling another step. */
  step?: string;
}

/** The single AsyncLocalStorage of the runtime. */
export const executionScope = new AsyncLocalStorage<ExecutionScope>();
