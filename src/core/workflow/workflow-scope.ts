import type { ExecutionScope, WorkflowHandle } from '../scope';

/**
 * The execution scope of one workflow, with its own `this.signal`. The controller is made on first read: most steps never read the signal.
 */
export class WorkflowScope implements ExecutionScope {
  readonly callerKind = 'minion' as const;
  step?: string;
  private controller?: AbortController;
  private reason?: unknown;

  constructor(
    readonly caller: string,
    readonly orchestrationId: string,
    readonly owner: object,
    readonly event: unknown,
    /** Replaced when a step is retried: the context as it was before the step. */
    public context: unknown,
    readonly workflow: WorkflowHandle,
  ) {}

  /** This workflow's `this.signal`. */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** True once the workflow was asked to stop. */
  get aborted(): boolean {
    return this.reason !== undefined;
  }

  /** Asks the workflow to stop: its signal aborts with `reason`. Idempotent. */
  abort(reason: unknown): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}
