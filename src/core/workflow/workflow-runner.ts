import { MinionsError } from '../errors';
import { CHECKPOINT_SCHEMA_VERSION, encodeCheckpoint } from '../codec/checkpoint-codec';
import type { StepMeta } from '../metadata';
import { executionScope } from '../scope';
import { settlesWithin } from '../lifecycle/with-deadline';
import { errorFields } from '../runtime/safe-logger';
import type { RuntimeServices } from '../runtime/runtime-services';
import { Checkpointer } from './checkpointer';
import { identityLogFields, type OrchestrationIdentity, type WorkflowOutcome, type WorkflowState } from './outcome';
import { userFrame } from './user-frame';
import { WorkflowScope } from './workflow-scope';
import { backoffDelayMs, sleep } from '../runtime/backoff';
import { decodeCheckpoint } from '../codec/checkpoint-codec';
import { rebuild } from '../codec/rebuild';
import { isDiskFull } from '../runtime/disk-full';
import { markFailed } from './failure-mark';

/** One shared reason: `abort()` without one builds a DOMException with a stack trace each time. */
export const STOP_REASON = new DOMException('The orchestration is stopping', 'AbortError');

const STATUSES: WorkflowOutcome[] = ['succeeded', 'aborted', 'failed', 'interrupted'];
type Labels = Record<string, string>;

interface StepSlot {
  meta: StepMeta;
  index: number;
  labels: Labels;
  byStatus: Record<WorkflowOutcome, Labels>;
  inflight: number;
}

/** What a stop reports. */
export interface RunnerStopReport {
  /** Workflows interrupted or abandoned: their checkpoints stay for the next start. */
  unfinished: number;
  /** Workflows still running `cancelTimeoutMs` after the signal aborted: never advanced again. */
  abandoned: number;
}

/**
 * Runs the workflows of one orchestration: binds the AsyncLocalStorage scope, runs steps in
 * order, checkpoints at `workflow_start` and `before_step`, deletes at `workflow_resolve`,
 * classifies outcomes, and emits the workflow and step metrics and logs.
 */
export class WorkflowRunner {
  private readonly slots: StepSlot[];
  private readonly checkpointer: Checkpointer;
  private readonly wfLabels: Labels;
  private readonly durationLabels: Record<WorkflowOutcome, Labels>;
  private readonly logBase: Record<string, unknown>;
  /** True once the stop's grace period ended: every workflow's `this.signal` aborts. */
  private signalled = false;
  /** Aborted when the cancel timeout ends: remaining workflows are abandoned. */
  private readonly abandonController = new AbortController();
  /** Running workflows and their scopes (each with its own `this.signal`). */
  private readonly running = new Map<Promise<WorkflowOutcome>, WorkflowScope>();
  private stopPromise?: Promise<RunnerStopReport>;
  private interrupted = 0;
  /** `workflowFailurePolicy: 'keep'`: a failed workflow keeps its pre-step checkpoint, marked failed. */
  private readonly keepFailed: boolean;

  constructor(
    private readonly minion: object,
    private readonly identity: OrchestrationIdentity,
    steps: StepMeta[],
    private readonly stepsFingerprint: string,
    private readonly services: RuntimeServices,
    types: { event: string; context: string },
    /** The context class, to rebuild the context before a retried step. */
    private readonly contextClass?: new () => object,
  ) {
    const base = { minion: identity.minionId, orchestration_id: identity.orchestrationId };
    this.wfLabels = base;
    this.durationLabels = Object.fromEntries(STATUSES.map((s) => [s, { ...base, status: s }])) as unknown as Record<WorkflowOutcome, Labels>;
    this.slots = steps.map((meta, index) => {
      const labels = { ...base, minion_workflow_step: meta.name };
      const byStatus = Object.fromEntries(STATUSES.map((s) => [s, { ...labels, status: s }])) as unknown as Record<WorkflowOutcome, Labels>;
      return { meta, index, labels, byStatus, inflight: 0 };
    });
    this.checkpointer = new Checkpointer(services, base, { event_type: types.event, context_type: types.context });
    this.logBase = identityLogFields(identity);
    this.keepFailed = services.options.workflowFailurePolicy === 'keep';
  }

  /** Workflows running now. */
  get inflight(): number {
    return this.running.size;
  }

  /** True once a stop began: no new workflow should be handed over. */
  get stopping(): boolean {
    return this.stopPromise !== undefined;
  }

  /** Runs one workflow to its outcome. Never rejects. */
  run(state: WorkflowState): Promise<WorkflowOutcome> {
    const scope = new WorkflowScope(this.identity.minionId, this.identity.orchestrationId, this.minion, state.event, state.context,
      Object.freeze({ orchestrationId: this.identity.orchestrationId, workflowId: state.workflowId }));
    if (this.signalled) scope.abort(STOP_REASON);
    this.services.activeWorkflows.add(state.workflowId);
    // One derived promise per workflow (each costs AsyncLocalStorage hooks on Node 20).
    const body: Promise<WorkflowOutcome> = executionScope.run(scope, () => this.execute(state, scope)).then(
      (outcome) => this.settled(state.workflowId, body, outcome),
      (e) => {
        this.services.log.log('critical', 'Workflow runner failed unexpectedly', { ...this.logBase, workflow_id: state.workflowId, ...errorFields(e) });
        return this.settled(state.workflowId, body, 'interrupted');
      });
    this.running.set(body, scope);
    this.publishInflight();
    return body;
  }

  /** Books a workflow's end: its id stays active until the user's code really settled, even after an abandon. */
  private settled(workflowId: string, body: Promise<WorkflowOutcome>, outcome: WorkflowOutcome): WorkflowOutcome {
    this.services.activeWorkflows.delete(workflowId);
    if (this.running.delete(body)) {
      if (outcome === 'interrupted') this.interrupted++;
      this.publishInflight();
    }
    return outcome;
  }

  private publishInflight(): void {
    this.services.metrics.set('minion_workflow_inflight', this.wfLabels, this.running.size);
  }

  private encoder(state: WorkflowState): () => Uint8Array {
    return () => encodeCheckpoint({
      schemaVersion: CHECKPOINT_SCHEMA_VERSION,
      orchestrationId: this.identity.orchestrationId,
      minionId: this.identity.minionId,
      workflowId: state.workflowId,
      event: state.event,
      context: state.context,
      nextStepIndex: state.nextIndex,
      nextStepName: this.slots[state.nextIndex]?.meta.name ?? '',
      stepsFingerprint: this.stepsFingerprint,
      startedAt: state.startedAt,
    });
  }

  /**
   * The encoder that also holds on to the blob it made last (a reference, no extra encode): when
   * a step fails, that is the checkpoint saved before it, which `'keep'` stores marked failed.
   */
  private keepingEncoder(state: WorkflowState, last: { blob?: Uint8Array }): () => Uint8Array {
    const encode = this.encoder(state);
    return () => (last.blob = encode());
  }

  private async execute(state: WorkflowState, scope: WorkflowScope): Promise<WorkflowOutcome> {
    const { log, metrics } = this.services;
    const id = this.identity;
    // A literal, not a spread: object spreads cost microseconds on this hot path (docs/performance.md).
    const fields = {
      orchestration_id: id.orchestrationId, minion_id: id.minionId, pipeline_id: id.pipelineId,
      minion_config_id: id.configId, workflow_id: state.workflowId,
    };
    const abandon = this.abandonController.signal;
    // Only under 'keep': the delete policy's hot path stays one closure, one encode per checkpoint.
    const last: { blob?: Uint8Array } | undefined = this.keepFailed ? {} : undefined;
    const encode = last ? this.keepingEncoder(state, last) : this.encoder(state);
    try {
      if (state.live && !(await this.checkpointer.save('workflow_start', state.workflowId, id.orchestrationId, encode, fields, undefined, abandon))) {
        return this.interrupt(state);
      }
    } catch (e) {
      return this.finish(state, 'failed', e, fields);
    }
    // Per-workflow lines are debug: at info a run would write a line or two per event. Lifecycle
    // lines, failures and retries stay at info or above; the counts are in the metrics.
    if (state.nextIndex === 0) {
      if (log.enabled('debug')) log.log('debug', 'Workflow started', fields);
      metrics.inc('minion_workflow_started_total', this.wfLabels);
    } else if (log.enabled('debug')) {
      log.log('debug', 'Workflow resumed', { ...fields, step: this.slots[state.nextIndex]?.meta.name, step_index: state.nextIndex });
    }
    let diskRetries = 0;
    /** The try of the current step, 1-based (a `@step({ retry })` tries again). */
    let stepTries = 1;
    // A resumed workflow was decoded from the checkpoint saved before its next step: writing the
    // same checkpoint again would cost a store write per resumed workflow and change nothing.
    // Under 'keep' it is written anyway: a failure of that step keeps the blob the save made.
    let storedBeforeStep = !state.live && last === undefined;
    for (let i = state.nextIndex; i < this.slots.length; i++) {
      if (scope.aborted) return this.interrupt(state);
      const slot = this.slots[i];
      if (state.startedAt === null) state.startedAt = Date.now();
      state.nextIndex = i;
      const t0 = performance.now();
      metrics.inc('minion_workflow_step_started_total', slot.labels);
      if (log.enabled('debug')) log.log('debug', 'Workflow Step started', { ...fields, step: slot.meta.name, step_index: i });
      slot.inflight++;
      metrics.set('minion_workflow_step_inflight', slot.labels, slot.inflight);
      let status: WorkflowOutcome = 'succeeded';
      let error: unknown;
      let snapshot: Uint8Array | undefined;
      const skipSave = storedBeforeStep;
      storedBeforeStep = false;
      try {
        if (!skipSave && !(await this.checkpointer.save('before_step', state.workflowId, id.orchestrationId, encode, fields, slot.meta.name, abandon))) {
          status = 'interrupted';
        } else {
          if (slot.meta.retry) snapshot = encode();
          if (this.services.hooks.beforeStep) await this.beforeStepHook(state, slot, scope);
          scope.step = slot.meta.name;
          await slot.meta.fn.call(this.minion);
        }
      } catch (e) {
        error = e;
        // Brand and code, not instanceof: an AbortWorkflow made by another loaded copy of the package counts too.
        status = MinionsError.is(e, 'MINIONS_ABORT_WORKFLOW') ? 'aborted'
          : (scope.aborted && !MinionsError.is(e, 'MINIONS_SERIALIZATION')) ? 'interrupted' : 'failed';
      } finally {
        scope.step = undefined;
        slot.inflight--;
        metrics.set('minion_workflow_step_inflight', slot.labels, slot.inflight);
        metrics.observe('minion_workflow_step_duration_seconds', slot.byStatus[status], (performance.now() - t0) / 1000);
      }
      if (status === 'failed' && this.services.disk && isDiskFull(error)) {
        // A full disk is the environment's condition, not the workflow's: wait for space, run the step again.
        this.services.disk.reportFull(error, `step ${slot.meta.name} of ${this.minion.constructor.name}`, { ...fields, step: slot.meta.name });
        if (abandon.aborted || !(await this.waitForSpace(scope, ++diskRetries))) return this.interrupt(state);
        i--;
        continue;
      }
      if (abandon.aborted) return 'interrupted';
      const retry = slot.meta.retry;
      if (status === 'failed' && retry && stepTries < retry.attempts && (retry.retryable?.(error) ?? true)) {
        metrics.inc('minion_workflow_step_retries_total', { ...slot.labels, error_type: errorType(error) });
        const delay = backoffDelayMs(stepTries, retry);
        log.log('warn', 'Workflow Step failed; retrying', {
          ...fields, step: slot.meta.name, step_index: i, attempt: stepTries, attempts: retry.attempts, retry_delay_seconds: delay / 1000,
          ...errorFields(error),
        });
        stepTries++;
        if (snapshot && this.contextClass) this.restoreContext(state, scope, snapshot);
        if (!(await sleep(delay, scope.signal))) return this.interrupt(state);
        i--;
        continue;
      }
      if (status === 'succeeded') {
        stepTries = 1;
        metrics.inc('minion_workflow_step_succeeded_total', slot.labels);
        if (log.enabled('debug')) log.log('debug', 'Workflow Step succeeded', { ...fields, step: slot.meta.name, step_index: i });
        continue;
      }
      if (status === 'interrupted') return this.interrupt(state);
      const stepFields = { ...fields, step: slot.meta.name, step_index: i };
      if (status === 'aborted') {
        metrics.inc('minion_workflow_step_aborted_total', slot.labels); // logged once, as "Workflow aborted" in finish
      } else {
        metrics.inc('minion_workflow_step_failed_total', { ...slot.labels, error_type: errorType(error) });
        log.log('error', 'Workflow Step failed', { ...stepFields, ...errorFields(error), ...userFrame(error) });
      }
      return this.finish(state, status, error, fields, stepFields, last?.blob);
    }
    return this.finish(state, 'succeeded', undefined, fields);
  }

  /**
   * `stepFields`: `fields` plus the step and step index that ended the workflow, for the "Workflow
   * aborted" line. `preStep`: under `'keep'`, the checkpoint saved before the step that failed.
   */
  private async finish(state: WorkflowState, outcome: WorkflowOutcome, error: unknown, fields: Record<string, unknown>,
    stepFields: Record<string, unknown> = fields, preStep?: Uint8Array): Promise<WorkflowOutcome> {
    const { log, metrics } = this.services;
    const stop = this.abandonController.signal;
    const kept = outcome === 'failed' && preStep !== undefined ? this.failedCheckpoint(state, preStep, error, fields) : undefined;
    // Every other terminal outcome removes the checkpoint, a SerializationError's too: a context that
    // cannot be saved would fail again at each resume, after repeating the steps before it.
    if (!(await (kept
      ? this.checkpointer.keep(state.workflowId, this.identity.orchestrationId, kept, fields, stop)
      : this.checkpointer.delete(state.workflowId, fields, stop)))) {
      return this.interrupt(state);
    }
    this.observeDuration(state, outcome);
    if (outcome === 'succeeded') {
      metrics.inc('minion_workflow_succeeded_total', this.wfLabels);
      if (log.enabled('debug')) log.log('debug', 'Workflow succeeded', fields);
    } else if (outcome === 'aborted') {
      metrics.inc('minion_workflow_aborted_total', this.wfLabels);
      if (log.enabled('debug')) log.log('debug', 'Workflow aborted', { ...stepFields, reason: (error as Error).message });
    } else {
      metrics.inc('minion_workflow_failed_total', { ...this.wfLabels, error_type: errorType(error) });
      log.log('error', 'Workflow failed', kept ? {
        ...fields, ...errorFields(error), kept: true,
        suggestion: 'Its checkpoint is kept (workflowFailurePolicy keep) as it was before the failed step: ' +
          'fix the cause, then retry it (Gru.retryWorkflow) or delete it (Gru.deleteWorkflow).',
      } : { ...fields, ...errorFields(error) });
    }
    this.ended(state, outcome, error);
    return outcome;
  }

  /**
   * The pre-step checkpoint marked with the failure, to keep; `undefined` (the checkpoint is
   * deleted) for a SerializationError, whose context cannot be saved, or when marking fails (logged).
   */
  private failedCheckpoint(state: WorkflowState, preStep: Uint8Array, error: unknown, fields: Record<string, unknown>): Uint8Array | undefined {
    if (MinionsError.is(error, 'MINIONS_SERIALIZATION')) return undefined;
    const failure = {
      type: errorType(error), message: error instanceof Error ? error.message : String(error),
      step: this.slots[state.nextIndex]?.meta.name ?? '', at: Date.now(),
    };
    try {
      return markFailed(preStep, failure);
    } catch (e) {
      this.services.log.log('error', 'Failed workflow could not be kept; its checkpoint is deleted', { ...fields, ...errorFields(e) });
      return undefined;
    }
  }

  /** Puts back the context as it was before the step (from the checkpoint taken then), so a retry starts clean. */
  private restoreContext(state: WorkflowState, scope: WorkflowScope, snapshot: Uint8Array): void {
    const env = decodeCheckpoint(snapshot);
    state.context = rebuild(this.contextClass as new () => object, env.context, 'context');
    scope.context = state.context;
  }

  /**
   * After a step failed on a full disk: waits for the backoff delay of `attempt`, or less when
   * the disk is writable again. False when the workflow's signal aborted (a stop).
   */
  private async waitForSpace(scope: WorkflowScope, attempt: number): Promise<boolean> {
    const resumed = new AbortController();
    const off = this.services.disk?.onResume(() => resumed.abort());
    try {
      await sleep(backoffDelayMs(attempt, this.services.options.retry), AbortSignal.any([scope.signal, resumed.signal]));
      return !scope.signal.aborted;
    } finally {
      off?.();
    }
  }

  private interrupt(state: WorkflowState): WorkflowOutcome {
    this.observeDuration(state, 'interrupted');
    this.ended(state, 'interrupted');
    return 'interrupted';
  }

  private async beforeStepHook(state: WorkflowState, slot: StepSlot, scope: WorkflowScope): Promise<void> {
    try {
      await this.services.hooks.beforeStep!({
        orchestrationId: this.identity.orchestrationId, workflowId: state.workflowId,
        step: slot.meta.name, stepIndex: slot.index, signal: scope.signal,
      });
    } catch (e) {
      if (scope.aborted) throw e;
      this.services.log.log('error', 'Workflow hook failed', { ...this.logBase, workflow_id: state.workflowId, hook: 'beforeStep', ...errorFields(e) });
    }
  }

  private ended(state: WorkflowState, outcome: WorkflowOutcome, error?: unknown): void {
    const hook = this.services.hooks.workflowEnded;
    if (!hook) return;
    try {
      hook({ orchestrationId: this.identity.orchestrationId, workflowId: state.workflowId, outcome, event: state.event, context: state.context, error });
    } catch (e) {
      this.services.log.log('error', 'Workflow hook failed', { ...this.logBase, workflow_id: state.workflowId, hook: 'workflowEnded', ...errorFields(e) });
    }
  }

  private observeDuration(state: WorkflowState, outcome: WorkflowOutcome): void {
    const seconds = state.startedAt === null ? -1 : (Date.now() - state.startedAt) / 1000;
    this.services.metrics.observe('minion_workflow_duration_seconds', this.durationLabels[outcome], seconds);
  }

  /**
   * Stops the runner (W-17): waits `stopGraceMs` for running workflows, then aborts
   * `this.signal`, then after `cancelTimeoutMs` abandons what is still running.
   * Concurrent calls share one attempt.
   */
  stop(): Promise<RunnerStopReport> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  /** Aborts `this.signal` of every running workflow, and of any that would still start. */
  private abortSignals(): void {
    this.signalled = true;
    for (const scope of this.running.values()) scope.abort(STOP_REASON);
  }

  private async doStop(): Promise<RunnerStopReport> {
    const { stopGraceMs, cancelTimeoutMs } = this.services.options;
    if (!(await settlesWithin(Promise.allSettled(this.running.keys()), stopGraceMs))) {
      this.abortSignals();
      if (!(await settlesWithin(Promise.allSettled(this.running.keys()), cancelTimeoutMs))) this.abandonController.abort(STOP_REASON);
    }
    const abandoned = this.running.size;
    this.abortSignals();
    this.abandonController.abort(STOP_REASON);
    // Abandoned workflows leave the books now, though their code may still run (their ids stay active).
    this.running.clear();
    const unfinished = this.interrupted + abandoned;
    this.services.metrics.set('minion_workflow_inflight', this.wfLabels, 0);
    if (abandoned > 0) {
      this.services.log.log('error', 'Workflows abandoned at stop', {
        ...this.logBase, abandoned,
        suggestion: 'A step ignored this.signal; its checkpoint is kept. Restart the process to be sure it no longer runs.',
      });
    }
    return { unfinished, abandoned };
  }
}

function errorType(e: unknown): string {
  return e instanceof Error ? e.name || e.constructor.name : typeof e;
}
