import { SerializationError } from '../errors';
import { errorFields } from '../runtime/safe-logger';
import type { RuntimeServices } from '../runtime/runtime-services';
import { backoffDelayMs, sleep } from './backoff';

/** Where a checkpoint is taken (SEMANTICS 5). */
export type PersistencePoint = 'workflow_start' | 'before_step' | 'workflow_resolve';
type Operation = 'save' | 'delete';

const SUGGESTIONS: Record<string, string> = {
  serialize: 'Ensure workflow event and context values are supported by the Minions persistence codec.',
  save: 'Ensure the configured StateStore is available and can persist workflow context blobs.',
  delete: 'Ensure the configured StateStore is available so completed workflow contexts can be removed.',
};

/**
 * Persistence attempts of one orchestration's workflows, with the persistence metrics and
 * log lines of SEMANTICS 5 and 8. Label objects are built once per point, not per call.
 */
export class Checkpointer {
  private readonly labels: Record<PersistencePoint, Record<string, string>>;

  constructor(
    private readonly services: RuntimeServices,
    private readonly base: { minion: string; orchestration_id: string },
    /** `event_type` and `context_type` for failure logs (REFERENCE P-08). */
    private readonly types: Record<string, string>,
  ) {
    const make = (point: PersistencePoint, op: Operation) => ({
      ...base,
      minion_workflow_persistence_point: point,
      minion_workflow_persistence_operation: op,
      minion_workflow_persistence_policy: point === 'workflow_resolve' ? 'idle-until-persisted' : services.options.policy,
      state_store: services.storeName,
    });
    this.labels = {
      workflow_start: make('workflow_start', 'save'),
      before_step: make('before_step', 'save'),
      workflow_resolve: make('workflow_resolve', 'delete'),
    };
  }

  /**
   * Saves an encoded checkpoint at `point`. `encode` runs once; a throw from it is a
   * non-retryable {@link SerializationError} and propagates. Store failures follow the policy:
   * continue-on-failure logs and returns; idle-until-persisted retries until success or `stop` aborts.
   * @returns false when the wait was cut by `stop` (the workflow is interrupted).
   */
  async save(point: PersistencePoint, workflowId: string, orchestrationId: string, encode: () => Uint8Array,
    fields: Record<string, unknown>, stop: AbortSignal): Promise<boolean> {
    const labels = this.labels[point];
    let blob: Uint8Array;
    try {
      blob = encode();
    } catch (e) {
      this.services.metrics.inc('minion_workflow_persistence_attempts_total', labels);
      this.fail(labels, 'serialize', false);
      this.services.log.log('error', 'Workflow persistence failed with non-retryable error', {
        ...fields, ...this.types, ...errorFields(e), persistence_point: point, persistence_operation: 'save',
        persistence_failure_stage: 'serialize', persistence_retryable: false, persistence_retry_delay_seconds: null,
        suggestion: SUGGESTIONS.serialize, state_store: this.services.storeName,
      });
      throw e instanceof SerializationError ? e : new SerializationError('checkpoint', String((e as Error)?.message ?? e), { cause: e });
    }
    const blocking = this.services.options.policy === 'idle-until-persisted';
    return this.attempt(point, 'save', () => this.services.store.saveContext(workflowId, orchestrationId, blob), fields, blocking, stop);
  }

  /** Deletes the checkpoint after a terminal outcome; always waits until durable (P-06). */
  delete(workflowId: string, fields: Record<string, unknown>, stop: AbortSignal): Promise<boolean> {
    return this.attempt('workflow_resolve', 'delete', () => this.services.store.deleteContext(workflowId), fields, true, stop);
  }

  private async attempt(point: PersistencePoint, op: Operation, run: () => Promise<void>, fields: Record<string, unknown>,
    blocking: boolean, stop: AbortSignal): Promise<boolean> {
    const { metrics, log, options } = this.services;
    const labels = this.labels[point];
    const began = performance.now();
    let attempts = 0;
    let lastWarn = -Infinity;
    let blocked = false;
    let escalated = false;
    const blockedLabels = { ...this.base, minion_workflow_persistence_point: point, minion_workflow_persistence_operation: op,
      minion_workflow_persistence_failure_stage: op, minion_workflow_persistence_policy: labels.minion_workflow_persistence_policy,
      state_store: this.services.storeName };
    try {
      for (;;) {
        attempts++;
        metrics.inc('minion_workflow_persistence_attempts_total', labels);
        const t0 = performance.now();
        try {
          await run();
          metrics.observe('minion_workflow_persistence_duration_seconds', labels, (performance.now() - t0) / 1000);
          metrics.inc('minion_workflow_persistence_succeeded_total', labels);
          if (attempts > 1) {
            log.log('info', op === 'delete' ? 'Workflow checkpoint delete resumed' : 'Workflow persistence resumed', {
              ...fields, persistence_point: point, persistence_retry_attempts: attempts,
              persistence_retry_elapsed_seconds: (performance.now() - began) / 1000,
            });
          }
          return true;
        } catch (e) {
          metrics.observe('minion_workflow_persistence_duration_seconds', labels, (performance.now() - t0) / 1000);
          this.fail(labels, op, true);
          const elapsed = performance.now() - began;
          const delay = backoffDelayMs(attempts, options.retry);
          const common = {
            ...fields, ...this.types, ...errorFields(e), persistence_point: point, persistence_operation: op,
            persistence_failure_policy: labels.minion_workflow_persistence_policy, persistence_retry_attempts: attempts,
            persistence_failure_stage: op, persistence_retryable: true, suggestion: SUGGESTIONS[op], state_store: this.services.storeName,
          };
          if (!blocking) {
            log.log('warn', 'Workflow continuing after persistence failure', common);
            return true;
          }
          const overError = options.retry.errorAfterMs !== null && elapsed >= options.retry.errorAfterMs;
          if (attempts === 1 || elapsed - lastWarn >= options.retry.warnEveryMs || (overError && !escalated)) {
            lastWarn = elapsed;
            if (overError) escalated = true;
            log.log(overError ? 'error' : 'warn', op === 'delete' ? 'Workflow idled waiting for checkpoint delete' : 'Workflow idled waiting for persistence', {
              ...common, persistence_retry_delay_seconds: delay / 1000, persistence_retry_elapsed_seconds: elapsed / 1000,
            });
          }
          if (!blocked) { blocked = true; this.blocked(blockedLabels, +1); }
          if (!(await sleep(delay, stop))) return false;
        }
      }
    } finally {
      if (blocked) this.blocked(blockedLabels, -1);
    }
  }

  private blockedCounts = new Map<string, { labels: Record<string, string>; n: number }>();

  private blocked(labels: Record<string, string>, delta: number): void {
    const key = `${labels.minion_workflow_persistence_point}/${labels.minion_workflow_persistence_operation}`;
    const entry = this.blockedCounts.get(key) ?? { labels, n: 0 };
    entry.n += delta;
    this.blockedCounts.set(key, entry);
    this.services.metrics.set('minion_workflow_persistence_blocked_gauge', entry.labels, entry.n);
  }

  private fail(labels: Record<string, string>, stage: string, retryable: boolean): void {
    this.services.metrics.inc('minion_workflow_persistence_failures_total', {
      ...labels, minion_workflow_persistence_failure_stage: stage, minion_workflow_persistence_retryable: String(retryable),
    });
  }
}
