import { decodeCheckpoint } from '../core/codec/checkpoint-codec';
import { InvalidArgumentError, WorkflowNotFoundError } from '../core/errors';
import type { StoredContext } from '../core/ports/state-store';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import type { Orchestration } from './orchestration';
import { retryKeptWorkflow } from './retry-workflow';

/**
 * Where a saved workflow stands: `running` in this process now; `pending` (its checkpoint waits
 * for its orchestration to start, or for a place in its queue); `failed` (kept by
 * `workflowFailurePolicy: 'keep'`, never resumed on its own).
 */
export type SavedWorkflowState = 'pending' | 'running' | 'failed';

/** One saved workflow as `Gru.listWorkflows` reports it. */
export interface SavedWorkflow {
  workflowId: string;
  orchestrationId: string;
  /** Identity of the minion that saved it; `null` for checkpoints of early releases. */
  minionId: string | null;
  state: SavedWorkflowState;
  /** The step it runs next (0-based index and name): for a failed one, the step that failed. */
  nextStepIndex: number;
  nextStepName: string;
  /** When its first step started (ISO 8601); `null` before that. */
  startedAt: string | null;
  /** For a `failed` one: the error's type and message and the step it failed in; else `null`. */
  error: { type: string; message: string; step: string } | null;
}

/** Filters of `Gru.listWorkflows`; each is optional. */
export interface WorkflowQuery {
  state?: SavedWorkflowState;
  orchestrationId?: string;
}

const STATES: readonly SavedWorkflowState[] = ['pending', 'running', 'failed'];

/** The saved workflows of a store, read and acted on for an operator. */
export class SavedWorkflows {
  /** Ids whose retry is under way: two calls at once must not run one workflow twice. */
  private readonly retrying = new Set<string>();

  constructor(private readonly services: RuntimeServices) {}

  /**
   * Saved workflows matching `query`, in the store's order. A row that does not decode is left out (`minions inspect` shows it).
   * @throws InvalidArgumentError for an unknown state; the store's read error.
   */
  async list(query: WorkflowQuery = {}): Promise<SavedWorkflow[]> {
    if (query.state !== undefined && !STATES.includes(query.state)) {
      throw new InvalidArgumentError(`Workflow state filter must be one of ${STATES.join(', ')}, got ${JSON.stringify(query.state)}.`);
    }
    const rows = query.orchestrationId === undefined
      ? await this.services.store.getAllContexts()
      : await this.services.store.getContextsForOrchestration(query.orchestrationId);
    const out: SavedWorkflow[] = [];
    for (const row of rows) {
      const w = this.describe(row);
      if (w && (query.state === undefined || w.state === query.state)) out.push(w);
    }
    return out;
  }

  /**
   * Deletes a saved workflow's checkpoint: it will not resume. One queued in its orchestration
   * to resume (behind `maxInFlight`, or a retry not yet started) is taken out of the queue first,
   * and put back if the store cannot delete it.
   * @param orchestrationOf - the running orchestration of an id, if any.
   * @throws WorkflowNotFoundError; InvalidArgumentError when it runs now (drain or stop its orchestration first); the store's write error.
   */
  async delete(workflowId: string, orchestrationOf: (orchestrationId: string) => Orchestration | undefined): Promise<void> {
    const row = await this.find(workflowId);
    if (this.services.activeWorkflows.has(row.workflowId)) {
      throw new InvalidArgumentError(`Workflow ${workflowId} is running in this process; drain or stop orchestration ${row.orchestrationId} before deleting it.`);
    }
    const intake = orchestrationOf(row.orchestrationId)?.intake;
    const queued = intake?.withdraw(workflowId);
    try {
      await this.services.store.deleteContext(workflowId);
    } catch (e) {
      if (queued) intake!.resume([queued]);
      throw e;
    }
  }

  /**
   * Runs a kept failed workflow again from its failed step (see `retryKeptWorkflow`).
   * @param orchestrationOf - the running orchestration of an id, if any.
   * @throws WorkflowNotFoundError; InvalidArgumentError (not a kept failed one, a retry of it already
   *   under way, its orchestration not running); OrchestrationNotFoundError; WorkflowContextTypeMismatchError.
   */
  async retry(workflowId: string, orchestrationOf: (orchestrationId: string) => Orchestration | undefined): Promise<void> {
    if (this.retrying.has(workflowId)) throw new InvalidArgumentError(`Workflow ${workflowId} is being retried already.`);
    this.retrying.add(workflowId);
    try {
      const row = await this.find(workflowId);
      await retryKeptWorkflow(this.services, row, orchestrationOf(row.orchestrationId));
    } finally {
      this.retrying.delete(workflowId);
    }
  }

  /** The stored row of one workflow. @throws WorkflowNotFoundError */
  async find(workflowId: string): Promise<StoredContext> {
    const row = (await this.services.store.getAllContexts()).find((r) => r.workflowId === workflowId);
    if (!row) throw new WorkflowNotFoundError(workflowId);
    return row;
  }

  private describe(row: StoredContext): SavedWorkflow | undefined {
    let env;
    try {
      env = decodeCheckpoint(row.context);
    } catch {
      return undefined;
    }
    return {
      workflowId: row.workflowId, orchestrationId: row.orchestrationId, minionId: env.minionId,
      state: env.failure ? 'failed' : this.services.activeWorkflows.has(row.workflowId) ? 'running' : 'pending',
      nextStepIndex: env.nextStepIndex, nextStepName: env.nextStepName,
      startedAt: env.startedAt === null ? null : new Date(env.startedAt).toISOString(),
      error: env.failure ? { type: env.failure.type, message: env.failure.message, step: env.failure.step } : null,
    };
  }
}
