import type { StateStore } from '../ports/state-store';
import type { BackoffOptions } from './backoff';
import type { WorkflowHooks } from '../workflow/workflow-hooks';
import type { MemoryGuard } from '../fanout/memory-guard';
import type { DiskHealth } from './disk-health';
import type { OverflowPolicy } from '../fanout/subscriber-buffer';
import type { SafeLogger } from './safe-logger';
import type { SafeMetrics } from './safe-metrics';

/**
 * What a workflow does when a checkpoint save fails (`GruOptions.workflowPersistenceFailurePolicy`):
 * `'continue-on-failure'` logs and counts the failure, runs the step anyway and tries again at the
 * next checkpoint; `'idle-until-persisted'` waits at the checkpoint, retrying with
 * {@link PersistenceRetryOptions} backoff until the save succeeds or the orchestration stops.
 */
export type PersistencePolicy = 'continue-on-failure' | 'idle-until-persisted';

/**
 * What happens to the checkpoint of a workflow that ends `failed` (`GruOptions.workflowFailurePolicy`):
 * `'delete'` removes it; `'keep'` keeps it, marked failed with the error's type, message and step,
 * for a person to retry or delete (it is never resumed on its own).
 */
export type WorkflowFailurePolicy = 'delete' | 'keep';

/**
 * Backoff of checkpoint retries (`GruOptions.persistenceRetry`; every field optional there). Used
 * by `'idle-until-persisted'` saves and by the terminal delete, which always waits until durable.
 * Retry n waits `delayMs * multiplier^(n-1)`, at most `maxDelayMs`, then ± `jitterRatio`.
 */
export interface PersistenceRetryOptions extends BackoffOptions {
  /** Wait before the first retry, milliseconds. ≥ 0. Default 1000. */
  delayMs: number;
  /** Factor applied to the wait after each failed retry. > 0. Default 2. */
  multiplier: number;
  /** Cap of the wait between retries, milliseconds, before jitter. ≥ 0. Default 60000. */
  maxDelayMs: number;
  /** Random spread of each wait, as a fraction of it (0.1: ±10 %). ≥ 0. Default 0.1. */
  jitterRatio: number;
  /** Interval between repeated warnings while a workflow waits, milliseconds. ≥ 0. Default 30000. */
  warnEveryMs: number;
  /** Waiting time after which the warning becomes an error line, milliseconds; `null`: never. ≥ 0. Default 60000. */
  errorAfterMs: number | null;
}

/** The runtime's tunables, all resolved (defaults filled in by Gru). */
export interface RuntimeOptions {
  policy: PersistencePolicy;
  /** What a failed workflow's checkpoint becomes (`GruOptions.workflowFailurePolicy`, default `'delete'`). */
  workflowFailurePolicy: WorkflowFailurePolicy;
  retry: PersistenceRetryOptions;
  /** Backoff of a failing `produceEvent()` (`GruOptions.producerRetry`): 1000 ms, x2, cap 60000 ms, jitter 0.1. */
  producerRetry: BackoffOptions;
  /** ms a drain lets taken events and in-flight workflows finish before the stop; Infinity: no limit. */
  drainTimeoutMs: number;
  stopGraceMs: number;
  cancelTimeoutMs: number;
  /** Deadline of each component's `startup()`, ms. */
  startupTimeoutMs: number;
  /** Deadline of each component's `shutdown()`, and of the whole Gru shutdown, ms. */
  shutdownTimeoutMs: number;
  maxInFlight: number;
  bufferSize: number;
  /** What a push source does to a full subscriber buffer. */
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
   * resume never starts one of them a second time.
   */
  activeWorkflows: Set<string>;
  /** Present when `memorySoftLimit` or `memorySoftLimitMiB` is set: pull pipelines pause while it is `paused`. */
  memoryGuard?: MemoryGuard;
  /** Whether writes find a full disk: intake pauses while it is `full` (the Gru always sets it). */
  disk?: DiskHealth;
}
