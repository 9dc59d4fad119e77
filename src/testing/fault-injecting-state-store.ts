import { orchestrationSummaries } from '../core/workflow/saved-elsewhere';
import { InMemoryStateStore, StateStore, type OrchestrationSummary, type StoredContext } from '../index';
import { InjectedFaultError } from './injected-fault-error';

/** Counts of what reached a {@link FaultInjectingStateStore}. */
export interface FaultCounts {
  /** Save attempts, failed ones included. */
  saves: number;
  /** Delete attempts, failed ones included. */
  deletes: number;
  /** Read attempts (any read method), failed ones included. */
  reads: number;
  failedSaves: number;
  failedDeletes: number;
  failedReads: number;
}

/**
 * A {@link StateStore} that fails on command, around a real inner store (default
 * `InMemoryStateStore`): fail the next N saves or deletes, fail reads, delay writes. For
 * proving the persistence policies under faults.
 */
export class FaultInjectingStateStore extends StateStore {
  /** What arrived so far. */
  readonly counts: FaultCounts = { saves: 0, deletes: 0, reads: 0, failedSaves: 0, failedDeletes: 0, failedReads: 0 };
  private saveFaults = 0;
  private deleteFaults = 0;
  private readFaults = 0;
  private writeDelayMs = 0;
  private fault = (op: string): Error => new InjectedFaultError(op);

  constructor(readonly inner: StateStore = new InMemoryStateStore()) {
    super();
  }

  /** The next `n` saves reject (default error: an {@link InjectedFaultError}, `injected save failure`). */
  failNextSaves(n: number, error?: Error): this {
    this.saveFaults = n;
    if (error) this.fault = () => error;
    return this;
  }

  /** The next `n` deletes reject. */
  failNextDeletes(n: number, error?: Error): this {
    this.deleteFaults = n;
    if (error) this.fault = () => error;
    return this;
  }

  /** The next `n` reads reject (`Infinity`: every read until reset with 0). */
  failReads(n = Infinity, error?: Error): this {
    this.readFaults = n;
    if (error) this.fault = () => error;
    return this;
  }

  /** Every save and delete waits `ms` milliseconds before reaching the inner store. */
  delayWrites(ms: number): this {
    this.writeDelayMs = ms;
    return this;
  }

  override async startup(): Promise<void> {
    await this.inner.startup?.();
  }

  override async shutdown(): Promise<void> {
    await this.inner.shutdown?.();
  }

  async saveContext(workflowId: string, orchestrationId: string, blob: Uint8Array): Promise<void> {
    this.counts.saves++;
    await this.delay();
    if (this.saveFaults > 0) {
      this.saveFaults--;
      this.counts.failedSaves++;
      throw this.fault('save');
    }
    await this.inner.saveContext(workflowId, orchestrationId, blob);
  }

  async deleteContext(workflowId: string): Promise<void> {
    this.counts.deletes++;
    await this.delay();
    if (this.deleteFaults > 0) {
      this.deleteFaults--;
      this.counts.failedDeletes++;
      throw this.fault('delete');
    }
    await this.inner.deleteContext(workflowId);
  }

  async getContextsForOrchestration(orchestrationId: string): Promise<StoredContext[]> {
    this.read();
    return this.inner.getContextsForOrchestration(orchestrationId);
  }

  async getAllContexts(): Promise<StoredContext[]> {
    this.read();
    return this.inner.getAllContexts();
  }

  /** The inner store's summaries (built from its getAllContexts() when it has none); a read. */
  async summarizeOrchestrations(exceptOrchestrationId?: string): Promise<OrchestrationSummary[]> {
    this.read();
    return orchestrationSummaries(this.inner, exceptOrchestrationId);
  }

  private read(): void {
    this.counts.reads++;
    if (this.readFaults > 0) {
      this.readFaults--;
      this.counts.failedReads++;
      throw this.fault('read');
    }
  }

  private async delay(): Promise<void> {
    if (this.writeDelayMs > 0) await new Promise((r) => setTimeout(r, this.writeDelayMs));
  }
}
