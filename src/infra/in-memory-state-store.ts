import { InvalidArgumentError, StateStoreClosedError } from '../core/errors';
import { StateStore, type OrchestrationSummary, type StoredContext } from '../core/ports/state-store';

interface Row {
  orchestrationId: string;
  context: Uint8Array;
}

/**
 * A {@link StateStore} in a `Map`, for tests and throwaway runs. Blobs are copied on save and on
 * read, so neither the caller's buffer nor a returned row can change what is stored.
 *
 * Usable without `startup()`. After `shutdown()` writes reject (a StateStoreClosedError coded
 * `MINIONS_STATE_STORE_CLOSED`) until `startup()` is called again; reads keep working and the
 * rows survive, so one instance can play the durable file across two Gru lifetimes
 * (run, shut down, start again, resume).
 */
export class InMemoryStateStore extends StateStore {
  private readonly rows = new Map<string, Row>();
  private closed = false;

  /** Number of stored checkpoints. */
  get size(): number {
    return this.rows.size;
  }

  /** Opens (or reopens after `shutdown()`) the store for writes. Rows are kept. */
  override async startup(): Promise<void> {
    this.closed = false;
  }

  /** Refuses further writes until the next `startup()`. Rows are kept. Idempotent. */
  override async shutdown(): Promise<void> {
    this.closed = true;
  }

  /**
   * Upserts a copy of `blob` for `workflowId`.
   * @throws StateStoreClosedError (`MINIONS_STATE_STORE_CLOSED`) after `shutdown()`; InvalidArgumentError
   *   for a blob that is not a `Uint8Array`.
   */
  async saveContext(workflowId: string, orchestrationId: string, blob: Uint8Array): Promise<void> {
    this.assertWritable('saveContext');
    if (!(blob instanceof Uint8Array)) throw new InvalidArgumentError(`InMemoryStateStore.saveContext: blob must be a Uint8Array (a Buffer is one), got ${blob === null ? 'null' : typeof blob}`);
    this.rows.set(workflowId, { orchestrationId, context: new Uint8Array(blob) });
  }

  /**
   * Deletes the checkpoint of `workflowId`; a missing id is a no-op.
   * @throws StateStoreClosedError (`MINIONS_STATE_STORE_CLOSED`) after `shutdown()`.
   */
  async deleteContext(workflowId: string): Promise<void> {
    this.assertWritable('deleteContext');
    this.rows.delete(workflowId);
  }

  /** Copies of every checkpoint of one orchestration, in insertion order. */
  async getContextsForOrchestration(orchestrationId: string): Promise<StoredContext[]> {
    const result: StoredContext[] = [];
    for (const [workflowId, row] of this.rows) {
      if (row.orchestrationId === orchestrationId) result.push(copyOut(workflowId, row));
    }
    return result;
  }

  /** Copies of every checkpoint, in insertion order. */
  async getAllContexts(): Promise<StoredContext[]> {
    return [...this.rows].map(([workflowId, row]) => copyOut(workflowId, row));
  }

  /**
   * Count and a copy of the last row (in insertion order) of each orchestration with rows,
   * except `exceptOrchestrationId`.
   */
  async summarizeOrchestrations(exceptOrchestrationId?: string): Promise<OrchestrationSummary[]> {
    const byId = new Map<string, { count: number; last: Row }>();
    for (const row of this.rows.values()) {
      if (row.orchestrationId === exceptOrchestrationId) continue;
      const entry = byId.get(row.orchestrationId);
      if (entry) {
        entry.count++;
        entry.last = row;
      } else {
        byId.set(row.orchestrationId, { count: 1, last: row });
      }
    }
    return [...byId].map(([orchestrationId, { count, last }]) => ({ orchestrationId, count, sample: new Uint8Array(last.context) }));
  }

  /** Removes every row (test helper). */
  clear(): void {
    this.rows.clear();
  }

  private assertWritable(method: string): void {
    if (this.closed) {
      throw new StateStoreClosedError(
        `InMemoryStateStore.${method} after shutdown(): call startup() again before writing.`);
    }
  }
}

function copyOut(workflowId: string, row: Row): StoredContext {
  return { workflowId, orchestrationId: row.orchestrationId, context: new Uint8Array(row.context) };
}
