import { StateStore, type OrchestrationSummary, type StoredContext } from '../core/ports/state-store';

/**
 * A {@link StateStore} that keeps nothing: saves and deletes resolve at once, reads return `[]`.
 * What `stateStore: null` means in `Gru.create`: workflows run, nothing survives a restart.
 */
export class NoOpStateStore extends StateStore {
  /** Does nothing. */
  async saveContext(_workflowId: string, _orchestrationId: string, _blob: Uint8Array): Promise<void> {}

  /** Does nothing. */
  async deleteContext(_workflowId: string): Promise<void> {}

  /** Always `[]`. */
  async getContextsForOrchestration(_orchestrationId: string): Promise<StoredContext[]> {
    return [];
  }

  /** Always `[]`. */
  async getAllContexts(): Promise<StoredContext[]> {
    return [];
  }

  /** Always `[]`. */
  async summarizeOrchestrations(_exceptOrchestrationId?: string): Promise<OrchestrationSummary[]> {
    return [];
  }
}
