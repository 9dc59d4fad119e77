import type { Minion } from '../core/components/minion';
import { WorkflowsAbandonedError } from '../core/errors';
import type { PipelineRunner } from '../core/fanout/pipeline-runner';
import { WorkflowIntake } from '../core/fanout/workflow-intake';
import { RedeliveryAdmission } from '../core/fanout/redelivery-admission';
import { decodeSaved } from '../core/workflow/decode-saved';
import { ComponentLifecycle, componentLifecycleOptions } from '../core/lifecycle/component-lifecycle';
import { settlesWithin } from '../core/lifecycle/with-deadline';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { identityLogFields } from '../core/workflow/outcome';
import { WorkflowRunner } from '../core/workflow/workflow-runner';
import type { OrchestrationSnapshot, OrchestrationState, StopResult } from './orchestration-spec';
import { savedShape, type StartPlan } from './start-plan';

/** Whether the plan's pipeline hands out deliveries (a redelivering broker such as NATS JetStream). */
export function redelivers(plan: StartPlan): boolean {
  return typeof (plan.pipelineCls.prototype as { deliveryOf?: unknown }).deliveryOf === 'function';
}

/**
 * One running orchestration: its minion (with the common component lifecycle), runner and
 * intake, and what it holds in the shared registries. Gru creates it, starts it, and stops it
 * exactly once; every state change goes through the minion's lifecycle.
 */
export class Orchestration {
  readonly runner: WorkflowRunner;
  readonly intake: WorkflowIntake;
  readonly lifecycle: ComponentLifecycle;
  /** Resource identities this orchestration depends on, transitively. */
  readonly resourceIdentities: Set<string>;
  /** Set when its pipeline's broker redelivers (`Pipeline.deliveryOf`): saved workflows wait for their event. */
  readonly admission?: RedeliveryAdmission;
  pipeline?: PipelineRunner;
  /** Saved workflows its start resumed. */
  resumedWorkflows = 0;
  /** When it began serving events, epoch milliseconds. */
  startedAt?: number;
  /** True once attached to its pipeline and serving events. */
  private serving = false;
  private draining = false;
  private stopPromise?: Promise<StopResult>;

  /** @param onRunFailed - the minion's `run()` settled before the stop. */
  constructor(
    readonly plan: StartPlan,
    readonly minion: Minion<unknown, unknown, unknown>,
    services: RuntimeServices,
    resourceIdentities: Set<string>,
    onRunFailed: (error: Error) => void,
  ) {
    const o = services.options;
    this.resourceIdentities = resourceIdentities;
    this.runner = new WorkflowRunner(minion, plan.identity, plan.steps, plan.fingerprint, services,
      { event: plan.minionMeta.event!.name, context: plan.minionMeta.context!.name }, plan.minionMeta.context as new () => object);
    if (redelivers(plan)) {
      const current = savedShape(plan);
      this.admission = new RedeliveryAdmission(services, plan.identity.orchestrationId, plan.minionMeta.context as new () => unknown,
        (row) => decodeSaved([row], current, services.log, this.logFields), this.logFields);
    }
    this.intake = new WorkflowIntake(this.runner, {
      bufferSize: o.bufferSize, overflowPolicy: plan.overflowPolicy ?? o.overflowPolicy, maxInFlight: o.maxInFlight,
    }, plan.minionMeta.context as new () => unknown, services.disk, this.admission);
    this.lifecycle = new ComponentLifecycle(minion, plan.minionCls.name,
      componentLifecycleOptions(services, 'minion', this.logFields, onRunFailed));
  }

  get id(): string {
    return this.plan.identity.orchestrationId;
  }

  /** `starting` until it serves events, then `running`; `draining`, `stopping`, `stopped`, or `failed`. */
  get state(): OrchestrationState {
    const s = this.lifecycle.state;
    if (s === 'created' || s === 'starting' || (s === 'running' && !this.serving)) return 'starting';
    if (s === 'running' && this.draining) return 'draining';
    return s;
  }

  /** Log fields naming this orchestration. */
  get logFields(): Record<string, string> {
    return identityLogFields(this.plan.identity);
  }

  /** Marks it served by its pipeline: the start is complete and the minion's `run()` starts. */
  serve(pipeline: PipelineRunner, resumedWorkflows: number): void {
    this.pipeline = pipeline;
    this.resumedWorkflows = resumedWorkflows;
    this.startedAt = Date.now();
    this.serving = true;
    this.lifecycle.startRun();
  }

  /**
   * Stops it (W-17): intake closes, the runner finishes or interrupts workflows, then the
   * minion's owned tasks, `run()` and `shutdown()` stop as for any component. Releasing shared
   * components is the caller's part. Concurrent calls share one attempt.
   */
  stop(): Promise<StopResult> {
    this.stopPromise ??= this.doStop();
    return this.stopPromise;
  }

  /**
   * Drains it: it takes no more events from its pipeline, runs what it already took (buffered
   * events, queued resumed workflows) and what is in flight for up to `timeoutMs`, then stops as
   * {@link stop} does: what still runs gets `stopGraceMs`, then its signal aborts, and an
   * interrupted workflow keeps its checkpoint to resume on the next start.
   */
  async drain(timeoutMs: number): Promise<StopResult> {
    if (!this.stopPromise && !this.draining) {
      this.draining = true;
      this.pipeline?.detach(this.intake.buffer);
      this.intake.buffer.end();
      await settlesWithin(this.intake.whenIdle(), timeoutMs);
    }
    return this.stop();
  }

  private async doStop(): Promise<StopResult> {
    let unfinished = 0;
    const errors = await this.lifecycle.stop(async () => {
      this.pipeline?.detach(this.intake.buffer);
      this.intake.close();
      const report = await this.runner.stop();
      unfinished = report.unfinished;
      return report.abandoned > 0 ? [new WorkflowsAbandonedError(this.plan.minionCls.name, report.abandoned)] : [];
    });
    return { orchestrationId: this.id, stopped: true, unfinishedWorkflows: unfinished, errors };
  }

  snapshot(): OrchestrationSnapshot {
    const i = this.plan.identity;
    return {
      orchestrationId: i.orchestrationId, minionId: i.minionId, pipelineId: i.pipelineId, configId: i.configId,
      minionClass: this.plan.minionCls.name, pipelineClass: this.plan.pipelineCls.name,
      state: this.state, inflightWorkflows: this.runner.inflight, bufferedEvents: this.intake.bufferedEvents,
      droppedEvents: this.intake.buffer.dropped, resumedWorkflows: this.resumedWorkflows,
      startedAt: this.startedAt === undefined ? null : new Date(this.startedAt).toISOString(),
      error: this.lifecycle.failure ? { type: this.lifecycle.failure.name, message: this.lifecycle.failure.message } : null,
    };
  }
}
