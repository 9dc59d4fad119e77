import type { Container } from 'inversify';
import { componentRuntime } from '../core/components/component-base';
import { RESERVED_MINION_FIELDS, type Minion } from '../core/components/minion';
import { validateConfig } from '../core/config/validate-config';
import { ConfigError, InvalidComponentError, OrchestrationStartError, WorkflowContextTypeMismatchError } from '../core/errors';
import type { PipelineRunner } from '../core/fanout/pipeline-runner';
import { describeFailureSite, failureSite } from '../core/lifecycle/failure-site';
import { errorFields } from '../core/runtime/safe-logger';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { identityLogFields, type WorkflowState } from '../core/workflow/outcome';
import { constructComponent, resourceDependencies, type ResourceRegistry } from '../di';
import { loadSaved } from './load-saved';
import { Orchestration } from './orchestration';
import type { PipelineRegistry } from './pipeline-registry';
import type { StartPlan } from './start-plan';

/** An orchestration built and started up to its pipeline, not yet serving events. */
export interface PreparedStart {
  plan: StartPlan;
  orchestration: Orchestration;
  pipeline: PipelineRunner;
  saved: WorkflowState[];
  /** Resources acquired for the minion, released on rollback or stop. */
  acquired: Function[];
}

/** What a failed start reports: the stage it reached (named in the error and the log line). */
type StartStage = 'construct' | 'loadConfig' | 'startup' | 'resume' | 'pipeline';

/**
 * Builds orchestrations for Gru in two phases, so that several can start as one unit: {@link prepare} constructs and starts everything up to the
 * pipeline (rolled back on failure), {@link serve} resumes saved workflows and attaches the
 * subscriber, without letting the pipeline produce; the caller opens the pipelines afterwards.
 */
export class OrchestrationStarter {
  constructor(
    private readonly container: Container,
    private readonly services: RuntimeServices,
    private readonly resources: ResourceRegistry,
    private readonly pipelines: PipelineRegistry,
    private readonly onMinionRunFailed: (orchestrationId: string, error: Error) => void,
    /** Whether an orchestration id runs, or is starting, in this Gru: its saved workflows are not left behind. */
    private readonly isActive: (orchestrationId: string) => boolean = () => false,
  ) {}

  /**
   * Acquires the minion's resources, constructs it, loads its config, runs its `startup()`,
   * reads its saved workflows (warning about those of its minion under other orchestration ids)
   * and acquires its pipeline. On failure everything it took is
   * released and the error is the specific class (`InvalidComponentError`,
   * `WorkflowContextTypeMismatchError`, `ConfigError`) or an `OrchestrationStartError` naming the stage.
   */
  async prepare(plan: StartPlan): Promise<PreparedStart> {
    const fields = identityLogFields(plan.identity);
    this.services.log.log('debug', 'Starting orchestration...', fields);
    const acquired: Function[] = [];
    let orchestration: Orchestration | undefined;
    let pipeline: PipelineRunner | undefined;
    let stage: StartStage = 'construct';
    try {
      for (const r of resourceDependencies(plan.minionCls)) { await this.resources.acquire(r); acquired.push(r); }
      const minion = this.construct(plan);
      stage = 'loadConfig';
      const rt = componentRuntime(minion);
      rt.config = plan.configPath !== undefined
        ? validateConfig(plan.minionMeta.config as new () => object, await minion.loadConfig!(plan.configPath), plan.configPath)
        : plan.config;
      rt.configBound = true;
      stage = 'startup';
      const closure = new Set<string>();
      for (const r of plan.resources) this.resources.closureOf(r, closure);
      orchestration = new Orchestration(plan, minion, this.services, closure, (e) => this.onMinionRunFailed(plan.identity.orchestrationId, e));
      await orchestration.lifecycle.start();
      stage = 'resume';
      const saved = await loadSaved(this.services, plan, fields, this.isActive);
      stage = 'pipeline';
      pipeline = await this.pipelines.acquire(plan.pipelineCls);
      return { plan, orchestration, pipeline, saved, acquired };
    } catch (e) {
      const cleanupErrors = await this.release(plan, orchestration, pipeline !== undefined, acquired);
      const site = failureSite(e);
      this.services.log.log('error', 'Failed to start orchestration', {
        ...fields, stage, ...(site && { component: site.component, component_kind: site.kind, component_stage: site.stage }), ...errorFields(e),
      });
      if (e instanceof InvalidComponentError || e instanceof WorkflowContextTypeMismatchError || e instanceof ConfigError) throw e;
      throw new OrchestrationStartError(`Failed to start orchestration ${plan.identity.orchestrationId} ` +
        `(${plan.minionCls.name} on ${plan.pipelineCls.name}) at stage ${stage}` +
        `${site ? ` (${describeFailureSite(site)})` : ''}: ${(e as Error)?.message ?? String(e)}`, e, cleanupErrors);
    }
  }

  /** Undoes a {@link prepare} whose batch failed; returns cleanup errors. */
  rollback(p: PreparedStart): Promise<Error[]> {
    return this.release(p.plan, p.orchestration, true, p.acquired);
  }

  /**
   * Makes a prepared orchestration serve: its saved workflows are queued before any live event
   * and its buffer is attached to the pipeline. The pipeline does not produce until opened.
   * @param onOverflow - its buffer overflowed under policy `error`.
   */
  serve(p: PreparedStart, onOverflow: (error: unknown) => void): void {
    // A redelivering source's saved workflows resume when their event comes back (their message is not acknowledged).
    if (p.orchestration.admission) p.orchestration.admission.park(p.saved);
    else p.orchestration.intake.resume(p.saved);
    p.pipeline.attach(p.orchestration.intake.buffer, p.plan.identity.orchestrationId, onOverflow);
    const resumed = p.orchestration.admission ? 0 : p.saved.length;
    p.orchestration.serve(p.pipeline, resumed);
    this.services.log.log('info', 'Orchestration started', {
      ...identityLogFields(p.plan.identity), resumed_workflows: resumed,
      ...(p.orchestration.admission && { awaiting_redelivery: p.saved.length }),
    });
  }

  /** Stops an orchestration (if built) and releases its pipeline and resources. Never throws. */
  async release(plan: StartPlan, orchestration: Orchestration | undefined, holdsPipeline: boolean, acquired: Function[]): Promise<Error[]> {
    const errors: Error[] = [];
    if (orchestration) errors.push(...(await orchestration.stop()).errors);
    if (holdsPipeline) errors.push(...(await this.pipelines.release(plan.pipelineCls)));
    errors.push(...(await this.resources.releaseAll(acquired)));
    return errors;
  }

  private construct(plan: StartPlan): Minion<unknown, unknown, unknown> {
    const minion = constructComponent<Minion<unknown, unknown, unknown>>(this.container, plan.minionCls, 'minion');
    const shadowed = RESERVED_MINION_FIELDS.filter((f) => Object.prototype.hasOwnProperty.call(minion, f));
    if (shadowed.length > 0) {
      throw new InvalidComponentError(`${plan.minionCls.name} has own properties ${shadowed.join(', ')} that shadow the runtime's accessors; ` +
        `write \`declare ${shadowed[0]}: T\` (or remove the field), never \`${shadowed[0]}!: T\`.`);
    }
    return minion;
  }
}
