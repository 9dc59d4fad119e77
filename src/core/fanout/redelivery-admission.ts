import { deliveredWorkflowId } from '../identity/workflow-id';
import type { StoredContext } from '../ports/state-store';
import { errorFields } from '../runtime/safe-logger';
import type { RuntimeServices } from '../runtime/runtime-services';
import { decodeSaved, type DecodedSaved } from '../workflow/decode-saved';
import type { WorkflowState } from '../workflow/outcome';
import type { Delivery } from './delivery';
import type { Admission, Admitter } from './dispatcher';

/**
 * Admits events of a redelivering source (see `Pipeline.deliveryOf`) into one orchestration. The
 * workflow id derives from the orchestration and the delivery key, so a redelivered message meets
 * the checkpoint of its earlier run:
 * - running in this process already (under an older delivery): not run twice (`owned-elsewhere`);
 * - a checkpoint read at start (a store without ownership: SQLite, in memory): resumed from it;
 * - a redelivery on a store with ownership: the checkpoint is claimed (`StateStore.claimContext`):
 *   resumed when this process gets it, left alone (`owned-elsewhere`) while another live process
 *   owns it, `ended` when it is a failed workflow kept by `workflowFailurePolicy: 'keep'`;
 * - otherwise (first delivery, or no checkpoint): a fresh workflow.
 */
export class RedeliveryAdmission implements Admitter {
  /** Checkpoints read at start, waiting for their message: a store without `claimContext` has no other process to take them. */
  private readonly parked = new Map<string, WorkflowState>();

  constructor(
    private readonly services: RuntimeServices,
    private readonly orchestrationId: string,
    private readonly Context: new () => unknown,
    /** Decodes one claimed row with the orchestration's current classes and step list. */
    private readonly decode: (row: StoredContext) => DecodedSaved,
    private readonly logFields: Record<string, string>,
  ) {}

  /** Keeps decoded checkpoints until their event is delivered again. */
  park(states: WorkflowState[]): void {
    for (const s of states) this.parked.set(s.workflowId, s);
  }

  /** Checkpoints still waiting for their event. */
  get parkedCount(): number {
    return this.parked.size;
  }

  async admit(event: unknown, delivery: Delivery): Promise<Admission> {
    const workflowId = deliveredWorkflowId(this.orchestrationId, delivery.key);
    if (this.services.activeWorkflows.has(workflowId)) return { verdict: 'owned-elsewhere' };
    const parked = this.parked.get(workflowId);
    if (parked) {
      this.parked.delete(workflowId);
      return { state: parked };
    }
    const store = this.services.store;
    if (!delivery.redelivered || typeof store.claimContext !== 'function') return { state: this.fresh(workflowId, event) };
    let claim;
    try {
      claim = await store.claimContext(workflowId);
    } catch (e) {
      this.services.log.logRepeated(`claim ${this.orchestrationId}`, 'error', 'Could not claim the checkpoint of a redelivered event; it will be delivered again', {
        ...this.logFields, workflow_id: workflowId, delivery_key: delivery.key, ...errorFields(e),
      });
      return { verdict: 'not-started' };
    }
    if (claim.status === 'absent') return { state: this.fresh(workflowId, event) };
    if (claim.status === 'owned') return { verdict: 'owned-elsewhere' };
    const decoded = this.decode(claim.context);
    if (decoded.keptFailed > 0) return { verdict: 'ended' };
    const state = decoded.states[0];
    if (state) return { state };
    if (decoded.mismatched.length > 0) {
      this.services.log.logRepeated(`mismatch ${this.orchestrationId}`, 'error', 'Saved workflow of a redelivered event no longer fits the minion; not resumed', {
        ...this.logFields, workflow_id: workflowId, delivery_key: delivery.key, reason: decoded.mismatched[0]!.reason,
        suggestion: 'Restore the previous event/context classes and step list until such workflows finished, or delete the checkpoint.',
      });
    }
    return { verdict: 'unreadable' };
  }

  private fresh(workflowId: string, event: unknown): WorkflowState {
    return { workflowId, event, context: new this.Context(), nextIndex: 0, startedAt: null, live: true };
  }
}
