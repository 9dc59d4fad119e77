import { randomUUID } from 'node:crypto';
import { stopOwnedTasks, superviseRun } from '../core/components/component-base';
import type { Minion } from '../core/components/minion';
import { TasksAbandonedError, WorkflowsAbandonedError, asError } from '../core/errors';
import { Dispatcher } from '../core/fanout/dispatcher';
import type { PipelineRunner } from '../core/fanout/pipeline-runner';
import { SubscriberBuffer } from '../core/fanout/subscriber-buffer';
import { errorFields } from '../core/runtime/safe-logger';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { identityLogFields, type WorkflowState } from '../core/workflow/outcome';
import { WorkflowRunner } from '../core/workflow/workflow-runner';
import type { OrchestrationSnapshot, OrchestrationState, StopResult } from './orchestration-spec';
import type { StartPlan } from './start-plan';

/** A fresh workflow id: a UUID v4 as 32 hex digits (REFERENCE I-08), without a regex per call. */
function hexId(): string {
  const u = randomUUID();
  return u.slice(0, 8) + u.slice(9, 13) + u.slice(14, 18) + u.slice(19, 23) + u.slice(24);
}

/**
 * One running orchestration: its minion instance, runner, buffer and dispatcher, and what it
 * holds in the shared registries. Gru creates it, starts it, and stops it exactly once.
 */
export class Orchestration {
  state: OrchestrationState = 'starting';
  readonly buffer: SubscriberBuffer;
  readonly runner: WorkflowRunner;
  readonly dispatcher: Dispatcher;
  /** Resource identities this orchestration depends on, transitively (SEMANTICS 7). */
  readonly resourceIdentities: Set<string>;
  pipeline?: PipelineRunner;
  private runTask?: Promise<void>;
  private stopPromise?: Promise<StopResult>;

  constructor(
    readonly plan: StartPlan,
    readonly minion: Minion<unknown, unknown, unknown>,
    private readonly services: RuntimeServices,
    resourceIdentities: Set<string>,
  ) {
    const o = services.options;
    this.resourceIdentities = resourceIdentities;
    this.buffer = new SubscriberBuffer(o.bufferSize, plan.overflowPolicy ?? o.overflowPolicy);
    this.runner = new WorkflowRunner(minion, plan.identity, plan.steps, plan.fingerprint, services,
      { event: plan.minionMeta.event!.name, context: plan.minionMeta.context!.name });
    const Context = plan.minionMeta.context as new () => unknown;
    this.dispatcher = new Dispatcher(this.runner, this.buffer, o.maxInFlight, (event): WorkflowState => ({
      workflowId: hexId(), event, context: new Context(), nextIndex: 0, startedAt: null, live: true,
    }));
  }

  get id(): string {
    return this.plan.identity.orchestrationId;
  }

  /** Log fields naming this orchestration (SEMANTICS 9). */
  get logFields(): Record<string, string> {
    return identityLogFields(this.plan.identity);
  }

  /** Starts the minion's optional `run(signal)`; its early exit is reported through `onFailed`. */
  watchRun(onFailed: (error: Error) => void): void {
    this.runTask = superviseRun(this.minion, onFailed);
  }

  /**
   * Stops intake, lets the runner finish or interrupt workflows (W-17), stops owned tasks and
   * runs the minion's `shutdown()`. Releasing shared components is the caller's part.
   * Concurrent calls share one attempt.
   */
  stop(): Promise<StopResult> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  private async doStop(): Promise<StopResult> {
    this.state = 'stopping';
    const errors: Error[] = [];
    this.pipeline?.detach(this.buffer);
    this.dispatcher.close();
    const report = await this.runner.stop();
    const left = await stopOwnedTasks(this.minion, this.services.options.cancelTimeoutMs);
    if (left > 0) errors.push(new TasksAbandonedError(this.plan.minionCls.name, left));
    if (this.runTask) await Promise.race([this.runTask, new Promise((r) => setTimeout(r, this.services.options.cancelTimeoutMs))]);
    try {
      await this.minion.shutdown?.();
    } catch (e) {
      errors.push(asError(e, `${this.plan.minionCls.name}.shutdown()`));
      this.services.log.log('error', 'Minion shutdown failed', { ...this.logFields, ...errorFields(e) });
    }
    if (report.abandoned > 0) {
      errors.push(new WorkflowsAbandonedError(this.plan.minionCls.name, report.abandoned));
    }
    return { orchestrationId: this.id, stopped: true, unfinishedWorkflows: report.unfinished, errors };
  }

  snapshot(): OrchestrationSnapshot {
    const i = this.plan.identity;
    return {
      orchestrationId: i.orchestrationId, minionId: i.minionId, pipelineId: i.pipelineId, configId: i.configId,
      state: this.state, inflightWorkflows: this.runner.inflight, bufferedEvents: this.buffer.size,
    };
  }
}
