import { SerializationError } from '../errors';
import { errorFields, REPEAT_INTERVAL_MS } from '../runtime/safe-logger';
import { RepeatLimiter } from '../runtime/repeat-limiter';
import type { RuntimeServices } from '../runtime/runtime-services';
import { backoffDelayMs, sleep } from '../runtime/backoff';
import { isDiskFull } from '../runtime/disk-full';

/** Where a checkpoint is taken. */
export type PersistencePoint = 'workflow_start' | 'before_step' | 'workflow_resolve';
type Operation = 'save' | 'delete';
type Labels = Record<string, string>;

const SUGGESTIONS: Record<string, string> = {
  serialize: 'Ensure workflow event and context values are supported by the Minions persistence codec.',
  save: 'Ensure the configured StateStore is available and can persist workflow context blobs.',
  delete: 'Ensure the configured StateStore is available so completed workflow contexts can be removed.',
};

/** One settled promise for every attempt a no-op store discards. */
const PERSISTED: Promise<boolean> = Promise.resolve(true);

/** The label sets of one (point, operation), built once: the hot path never spreads objects. */
interface PointLabels {
  point: PersistencePoint;
  operation: Operation;
  attempt: Labels;
  blocked: Labels;
  blockedCount: number;
}

/**
 * Persistence attempts of one orchestration's workflows, with the persistence metrics and
 * log lines of the persistence rules.
 */
export class Checkpointer {
  private readonly points: Record<PersistencePoint, PointLabels>;
  /** The save that replaces the terminal delete of a failed workflow kept by `workflowFailurePolicy: 'keep'`. */
  private readonly keepPoint: PointLabels;

  /**
   * Lines of waiting workflows: one per cause every `warnEveryMs` (at most every 10 s) across all
   * of them, so a store that fails for a thousand workflows writes one line, not a thousand.
   */
  private readonly idleLines: RepeatLimiter;
  /** What a full disk blocks, as the disk-full log line names it: the store's file when it has one. */
  private readonly location: string;

  constructor(
    private readonly services: RuntimeServices,
    base: { minion: string; orchestration_id: string },
    /** `event_type` and `context_type` for failure logs. */
    private readonly types: Record<string, string>,
  ) {
    const make = (point: PersistencePoint, operation: Operation): PointLabels => {
      const policy = point === 'workflow_resolve' ? 'idle-until-persisted' : services.options.policy;
      return {
        point, operation, blockedCount: 0,
        attempt: {
          minion: base.minion, orchestration_id: base.orchestration_id, minion_workflow_persistence_point: point,
          minion_workflow_persistence_operation: operation, minion_workflow_persistence_policy: policy, state_store: services.storeName,
        },
        blocked: {
          minion: base.minion, orchestration_id: base.orchestration_id, minion_workflow_persistence_point: point,
          minion_workflow_persistence_operation: operation, minion_workflow_persistence_failure_stage: operation,
          minion_workflow_persistence_policy: policy, state_store: services.storeName,
        },
      };
    };
    this.idleLines = new RepeatLimiter(Math.min(services.options.retry.warnEveryMs, REPEAT_INTERVAL_MS));
    const path = (services.store as { path?: unknown }).path;
    this.location = typeof path === 'string' ? `the state store ${path}` : `the state store ${services.storeName}`;
    this.points = {
      workflow_start: make('workflow_start', 'save'),
      before_step: make('before_step', 'save'),
      workflow_resolve: make('workflow_resolve', 'delete'),
    };
    this.keepPoint = make('workflow_resolve', 'save');
  }

  /**
   * Saves an encoded checkpoint at `point` (`step`: the step about to run, for logs). `encode`
   * runs once; its throw is a non-retryable {@link SerializationError} and rejects. Store
   * failures follow the policy: continue-on-failure logs and resolves; idle-until-persisted
   * retries until success or `stop` aborts.
   * @returns false when the wait was cut by `stop` (the workflow is interrupted).
   */
  save(point: PersistencePoint, workflowId: string, orchestrationId: string, encode: () => Uint8Array,
    fields: Record<string, unknown>, step: string | undefined, stop: AbortSignal): Promise<boolean> {
    const p = this.points[point];
    let blob: Uint8Array;
    try {
      blob = encode();
    } catch (e) {
      this.services.metrics.inc('minion_workflow_persistence_attempts_total', p.attempt);
      this.fail(p.attempt, 'serialize', false);
      this.services.log.log('error', 'Workflow persistence failed with non-retryable error', {
        ...fields, step, ...this.types, ...errorFields(e), persistence_point: point, persistence_operation: 'save',
        persistence_failure_stage: 'serialize', persistence_retryable: false, persistence_retry_delay_seconds: null,
        suggestion: SUGGESTIONS.serialize, state_store: this.services.storeName,
      });
      return Promise.reject(e instanceof SerializationError ? e : new SerializationError('checkpoint', String((e as Error)?.message ?? e), { cause: e }));
    }
    if (this.services.discardsWrites) return this.discarded(p);
    const blocking = this.services.options.policy === 'idle-until-persisted';
    return this.first(p, () => this.services.store.saveContext(workflowId, orchestrationId, blob), fields, step, blocking, stop);
  }

  /** Deletes the checkpoint after a terminal outcome; always waits until durable (P-06). */
  delete(workflowId: string, fields: Record<string, unknown>, stop: AbortSignal): Promise<boolean> {
    if (this.services.discardsWrites) return this.discarded(this.points.workflow_resolve);
    return this.first(this.points.workflow_resolve, () => this.services.store.deleteContext(workflowId), fields, undefined, true, stop);
  }

  /**
   * Saves a failed workflow's marked checkpoint (`workflowFailurePolicy: 'keep'`) in place of the
   * terminal delete; like the delete, always waits until durable.
   * @returns false when the wait was cut by `stop`.
   */
  keep(workflowId: string, orchestrationId: string, blob: Uint8Array, fields: Record<string, unknown>, stop: AbortSignal): Promise<boolean> {
    if (this.services.discardsWrites) return this.discarded(this.keepPoint);
    return this.first(this.keepPoint, () => this.services.store.saveContext(workflowId, orchestrationId, blob), fields, undefined, true, stop);
  }

  /**
   * With a store that keeps nothing (`NoOpStateStore`) the attempt is counted as the reference
   * counts it, but no store call and no promise chain is made: the blob was still encoded, so
   * unpersistable values fail the same way with and without a store.
   */
  private discarded(p: PointLabels): Promise<boolean> {
    const { metrics } = this.services;
    metrics.inc('minion_workflow_persistence_attempts_total', p.attempt);
    metrics.observe('minion_workflow_persistence_duration_seconds', p.attempt, 0);
    metrics.inc('minion_workflow_persistence_succeeded_total', p.attempt);
    return PERSISTED;
  }

  /**
   * The first attempt, without an async frame: nearly every checkpoint succeeds at once, so
   * the retry machinery of {@link retry} is entered only after a failure.
   */
  private first(p: PointLabels, run: () => Promise<void>, fields: Record<string, unknown>, step: string | undefined,
    blocking: boolean, stop: AbortSignal): Promise<boolean> {
    const { metrics } = this.services;
    metrics.inc('minion_workflow_persistence_attempts_total', p.attempt);
    const t0 = performance.now();
    let pending: Promise<void>;
    try {
      pending = run();
    } catch (e) {
      pending = Promise.reject(e);
    }
    return pending.then(() => {
      metrics.observe('minion_workflow_persistence_duration_seconds', p.attempt, (performance.now() - t0) / 1000);
      metrics.inc('minion_workflow_persistence_succeeded_total', p.attempt);
      if (this.services.disk?.full) this.services.disk.reportWritable();
      return true;
    }, (e: unknown) => {
      metrics.observe('minion_workflow_persistence_duration_seconds', p.attempt, (performance.now() - t0) / 1000);
      return this.retry(p, run, fields, step, blocking, stop, e);
    });
  }

  /**
   * After a failed attempt: counts and logs the failure, then under continue-on-failure moves
   * on, else waits with backoff and tries again until success or `stop` aborts (P-05..P-10).
   */
  private async retry(p: PointLabels, run: () => Promise<void>, fields: Record<string, unknown>, step: string | undefined,
    blocking: boolean, stop: AbortSignal, firstError: unknown): Promise<boolean> {
    const { metrics, log, options } = this.services;
    const began = performance.now();
    let error = firstError;
    let attempts = 1;
    let lastWarn = -Infinity;
    let escalated = false;
    let blocked = false;
    try {
      for (;;) {
        this.fail(p.attempt, p.operation, true);
        if (isDiskFull(error)) this.services.disk?.reportFull(error, this.location, { persistence_point: p.point });
        const elapsed = performance.now() - began;
        const delay = backoffDelayMs(attempts, options.retry);
        const common = {
          ...fields, step, ...this.types, ...errorFields(error), persistence_point: p.point, persistence_operation: p.operation,
          persistence_failure_policy: p.attempt.minion_workflow_persistence_policy, persistence_retry_attempts: attempts,
          persistence_failure_stage: p.operation, persistence_retryable: true, suggestion: SUGGESTIONS[p.operation],
          state_store: this.services.storeName,
        };
        // Per workflow, a failing store would write a line per checkpoint: one per cause at a bounded rate.
        const repeatKey = `persist:${p.point}:${String((error as Error)?.message ?? error)}`;
        if (!blocking) {
          log.logRepeated(repeatKey, 'warn', 'Workflow continuing after persistence failure', common);
          return true;
        }
        const overError = options.retry.errorAfterMs !== null && elapsed >= options.retry.errorAfterMs;
        if (attempts === 1 || elapsed - lastWarn >= options.retry.warnEveryMs || (overError && !escalated)) {
          lastWarn = elapsed;
          if (overError) escalated = true;
          const skipped = this.idleLines.admit(`${repeatKey}:${overError}`);
          if (skipped !== undefined) {
            log.log(overError ? 'error' : 'warn',
              p.operation === 'delete' ? 'Workflow idled waiting for checkpoint delete' : 'Workflow idled waiting for persistence', {
                ...common, persistence_retry_delay_seconds: delay / 1000, persistence_retry_elapsed_seconds: elapsed / 1000,
                ...(skipped > 0 && { repeated: skipped }),
              });
          }
        }
        if (!blocked) { blocked = true; this.setBlocked(p, +1); }
        if (!(await sleep(delay, stop))) return false;
        attempts++;
        metrics.inc('minion_workflow_persistence_attempts_total', p.attempt);
        const t0 = performance.now();
        try {
          await run();
        } catch (e) {
          metrics.observe('minion_workflow_persistence_duration_seconds', p.attempt, (performance.now() - t0) / 1000);
          error = e;
          continue;
        }
        metrics.observe('minion_workflow_persistence_duration_seconds', p.attempt, (performance.now() - t0) / 1000);
        metrics.inc('minion_workflow_persistence_succeeded_total', p.attempt);
        this.services.disk?.reportWritable();
        log.logRepeated(`resumed:${p.point}`, 'info', p.operation === 'delete' ? 'Workflow checkpoint delete resumed' : 'Workflow persistence resumed', {
          ...fields, step, persistence_point: p.point, persistence_retry_attempts: attempts,
          persistence_retry_elapsed_seconds: (performance.now() - began) / 1000,
        });
        return true;
      }
    } finally {
      if (blocked) this.setBlocked(p, -1);
    }
  }

  /** The blocked gauge: workflows parked on this (point, operation), summed (P-10). */
  private setBlocked(p: PointLabels, delta: number): void {
    p.blockedCount += delta;
    this.services.metrics.set('minion_workflow_persistence_blocked', p.blocked, p.blockedCount);
  }

  private fail(labels: Labels, stage: string, retryable: boolean): void {
    this.services.metrics.inc('minion_workflow_persistence_failures_total', {
      ...labels, minion_workflow_persistence_failure_stage: stage, minion_workflow_persistence_retryable: String(retryable),
    });
  }
}
