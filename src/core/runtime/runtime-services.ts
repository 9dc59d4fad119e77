import type { StateStore } from '../ports/state-store';
import type { WorkflowHooks } from '../workflow/workflow-hooks';
import type { MemoryGuard } from '../fanout/memory-guard';
import type { OverflowPolicy } from '../fanout/subscriber-buffer';
import type { SafeLogger } from './safe-logger';
import type { SafeMetrics } from './safe-metrics';

/** How a failed checkpoint save is handled (SEMANTICS 5). */
export type PersistencePolicy = 'continue-on-failure' | 'idle-until-persisted';

/** Backoff of checkpoint retries, milliseconds (API.md `persistenceRetry`). */
export interface PersistenceRetryOptions {
  delayMs: number;
  multiplier: number;
  maxDelayMs: number;
  jitterRatio: number;
  warnEveryMs: number;
  errorAfterMs: number | null;
}

/** The runtime's tunables, all resolved (defaults filled in by Gru). */
export interface RuntimeOptions {
  policy: PersistencePolicy;
  retry: PersistenceRetryOptions;
  stopGraceMs: number;
  cancelTimeoutMs: number;
  /** Deadline of each component's `startup()`, ms. */
  startupTimeoutMs: number;
  /** Deadline of each component's `shutdown()`, and of the whole Gru shutdown, ms. */
  shutdownTimeoutMs: number;
  maxInFlight: number;
  bufferSize: number;
  /** What a push source does to a full subscriber buffer (SEMANTICS 6). */
  overflowPolicy: OverflowPolicy;
}

/** What the engine needs from the infrastructure, behind guards. */
export interface RuntimeServices {
  store: StateStore;
  /** Class name of the store, the `state_store` metric label. */
  storeName: string;
  /** True for a store that keeps nothing (`NoOpStateStore`): its calls are skipped, the encoding is not. */
  discardsWrites: boolean;
  log: SafeLogger;
  metrics: SafeMetrics;
  options: RuntimeOptions;
  /** Optional observation points (tests, tracing). */
  hooks: WorkflowHooks;
  /**
   * Ids of workflows whose code is still running in this process (abandoned ones included):
   * resume never starts one of them a second time (SEMANTICS 5, duplicate-resume guard).
   */
  activeWorkflows: Set<string>;
  /** Present when `memorySoftLimitMiB` is set: pull pipelines pause while it is `paused`. */
  memoryGuard?: MemoryGuard;
}
