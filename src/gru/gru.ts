import type { Container } from 'inversify';
import { componentRuntime } from '../core/components/component-base';
import { RESERVED_MINION_FIELDS, type Minion } from '../core/components/minion';
import { validateConfig } from '../core/config/validate-config';
import { ConfigError, GruShutDownError, InvalidComponentError, OrchestrationNotFoundError, OrchestrationStartError, WorkflowContextTypeMismatchError } from '../core/errors';
import type { Logger } from '../core/ports/logger';
import type { Metrics } from '../core/ports/metrics';
import type { StateStore } from '../core/ports/state-store';
import { SafeLogger, errorFields } from '../core/runtime/safe-logger';
import { SafeMetrics } from '../core/runtime/safe-metrics';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { decodeSaved } from '../core/workflow/decode-saved';
import { identityLogFields, type WorkflowState } from '../core/workflow/outcome';
import { MemoryGuard } from '../core/fanout/memory-guard';
import { constructComponent, createContainer, ResourceRegistry, resourceDependencies as resourceDeps } from '../di';
import { NoOpMetrics, NoOpStateStore, PrometheusMetrics, SqliteStateStore, WinstonLogger } from '../infra';
import { resolveRuntimeOptions, type GruOptions } from './gru-options';
import { claimLiveGru, releaseLiveGru } from './live-gru';
import { Orchestration } from './orchestration';
import type { GruSnapshot, OrchestrationSpec, StartResult, StopResult } from './orchestration-spec';
import { PipelineRegistry } from './pipeline-registry';
import { planStart, type StartPlan } from './start-plan';

/**
 * The runtime owner of a process (API.md "Gru"): the Inversify container, the state store,
 * logger and metrics, and every running orchestration, pipeline and resource.
 * One live Gru per process; `await using gru = await Gru.create()` shuts it down on scope exit.
 */
export class Gru {
  private readonly orchestrations = new Map<string, Orchestration>();
  private readonly starting = new Map<string, Promise<StartResult>>();
  private readonly stopping = new Map<string, Promise<StopResult>>();
  private readonly resources: ResourceRegistry;
  private readonly pipelines: PipelineRegistry;
  private readonly log: SafeLogger;
  private shutdownPromise?: Promise<void>;
  private signalHandler?: () => void;
  /** Holds the process open while orchestrations run, as a listening server would. */
  private keepAlive?: NodeJS.Timeout;

  private constructor(
    private readonly container: Container,
    private readonly services: RuntimeServices,
    private readonly infra: { store: StateStore; logger: Logger; metrics: Metrics },
    private readonly shutdownTimeoutMs: number,
  ) {
    this.log = services.log;
    this.resources = new ResourceRegistry(container, services, (id, e) => this.onResourceFailed(id, e));
    this.pipelines = new PipelineRegistry(container, this.resources, services, (id, e) => this.onPipelineFailed(id, e));
  }

  /**
   * Creates the process's Gru and starts its store, logger and metrics (those passed in too).
   * Defaults: `SqliteStateStore` at `minions.db`, `WinstonLogger`, `PrometheusMetrics` on 127.0.0.1:8081.
   * @throws GruAlreadyRunningError when another Gru is live in this process.
   * @throws InvalidOptionError for a bad option; the error of a port's `startup()` (what started is shut down).
   */
  static async create(options: GruOptions = {}): Promise<Gru> {
    const runtimeOptions = resolveRuntimeOptions(options);
    const claim = {};
    claimLiveGru(claim);
    const store = options.stateStore === null ? new NoOpStateStore() : (options.stateStore ?? new SqliteStateStore({ path: 'minions.db' }));
    const logger = options.logger ?? new WinstonLogger();
    const metrics = options.metrics === null ? new NoOpMetrics() : (options.metrics ?? new PrometheusMetrics());
    const started: Array<{ shutdown?(): Promise<void> }> = [];
    try {
      for (const port of [logger, metrics, store] as Array<{ startup?(): Promise<void>; shutdown?(): Promise<void> }>) {
        await port.startup?.();
        started.push(port);
      }
    } catch (e) {
      for (const port of started.reverse()) await port.shutdown?.().catch(() => undefined);
      releaseLiveGru(claim);
      throw e;
    }
    const services: RuntimeServices = {
      store, storeName: store.constructor.name, discardsWrites: store.constructor === NoOpStateStore, log: new SafeLogger(logger), metrics: new SafeMetrics(metrics), options: runtimeOptions,
      hooks: options.hooks ?? {}, activeWorkflows: new Set(),
    };
    if (runtimeOptions.memorySoftLimitMiB !== undefined) {
      services.memoryGuard = new MemoryGuard(runtimeOptions.memorySoftLimitMiB * 1048576, services.log, services.metrics);
      services.memoryGuard.start();
    }
    const container = createContainer(options.modules ?? [], { stateStore: store, logger, metrics });
    const gru = new Gru(container, services, { store, logger, metrics }, runtimeOptions.shutdownTimeoutMs);
    releaseLiveGru(claim);
    claimLiveGru(gru);
    if (options.handleSignals) gru.installSignalHandlers();
    return gru;
  }

  /**
   * Starts an orchestration, or reports it already running (API.md, SEMANTICS 3, 5, 7).
   * Resources and the pipeline are shared by identity; saved unfinished workflows of this
   * orchestration resume before any live event.
   * @throws InvalidComponentError, ResourceCycleError, ConfigError for a bad spec (nothing constructed);
   *   WorkflowContextTypeMismatchError when saved workflows no longer fit (rolled back, nothing changed);
   *   OrchestrationStartError wrapping a constructor, `startup()`, `loadConfig` or store read failure (rolled back).
   */
  async startOrchestration<E, Cfg>(spec: OrchestrationSpec<E, Cfg>): Promise<StartResult> {
    this.assertOpen();
    const plan = planStart(spec as OrchestrationSpec<unknown, unknown>, this.container, (cls) => this.resources.isOverridden(cls));
    const id = plan.identity.orchestrationId;
    this.assertMinionIdentityFree(plan);
    if (this.orchestrations.has(id)) return { orchestrationId: id, alreadyRunning: true, resumedWorkflows: 0 };
    const pending = this.starting.get(id);
    if (pending) return pending.then((r) => ({ ...r, alreadyRunning: true, resumedWorkflows: 0 }));
    const attempt = this.start(plan).finally(() => this.starting.delete(id));
    this.starting.set(id, attempt);
    return attempt;
  }

  private assertMinionIdentityFree(plan: StartPlan): void {
    for (const o of this.orchestrations.values()) {
      if (o.plan.identity.minionId === plan.identity.minionId && o.plan.minionCls !== plan.minionCls) {
        throw new InvalidComponentError(`Minion identity ${plan.identity.minionId} is already running from another class ${o.plan.minionCls.name}; ` +
          `${plan.minionCls.name} claims it too. Give each class an explicit @minion({ id }).`);
      }
    }
    this.pipelines.identityOf(plan.pipelineCls);
    for (const r of plan.resources) this.resources.identityOf(r);
  }

  private async start(plan: StartPlan): Promise<StartResult> {
    const fields = identityLogFields(plan.identity);
    this.log.log('debug', 'Starting orchestration...', fields);
    const acquired: Function[] = [];
    let orchestration: Orchestration | undefined;
    let pipelineAcquired = false;
    let stage = 'construct';
    try {
      const direct = resourceDeps(plan.minionCls);
      for (const r of direct) { await this.resources.acquire(r); acquired.push(r); }
      const minion = constructComponent<Minion<unknown, unknown, unknown>>(this.container, plan.minionCls);
      const shadowed = RESERVED_MINION_FIELDS.filter((f) => Object.prototype.hasOwnProperty.call(minion, f));
      if (shadowed.length > 0) {
        throw new InvalidComponentError(`${plan.minionCls.name} has own properties ${shadowed.join(', ')} that shadow the runtime's accessors; ` +
          `write \`declare ${shadowed[0]}: T\` (or remove the field), never \`${shadowed[0]}!: T\`.`);
      }
      const rt = componentRuntime(minion);
      rt.onTaskError = (e) => this.log.log('error', `${plan.minionCls.name} service task failed`, { ...fields, ...errorFields(e) });
      stage = 'loadConfig';
      if (plan.configPath !== undefined) {
        const loaded = await minion.loadConfig!(plan.configPath);
        rt.config = validateConfig(plan.minionMeta.config as new () => object, loaded, plan.configPath);
      } else {
        rt.config = plan.config;
      }
      rt.configBound = true;
      stage = 'startup';
      const closure = new Set<string>();
      for (const r of plan.resources) this.resources.closureOf(r, closure);
      orchestration = new Orchestration(plan, minion, this.services, closure);
      await minion.startup?.();
      stage = 'resume';
      const saved = await this.loadSaved(plan, fields);
      stage = 'pipeline';
      const pipeline = await this.pipelines.acquire(plan.pipelineCls);
      pipelineAcquired = true;
      orchestration.pipeline = pipeline;
      this.orchestrations.set(plan.identity.orchestrationId, orchestration);
      this.holdProcess();
      orchestration.dispatcher.resume(saved);
      orchestration.watchRun((e) => this.failOrchestration(plan.identity.orchestrationId, `minion ${plan.minionCls.name}.run failed`, e));
      orchestration.state = 'running';
      pipeline.attach(orchestration.buffer, plan.identity.orchestrationId, (e) =>
        this.failOrchestration(plan.identity.orchestrationId, 'its subscriber buffer overflowed', e));
      this.log.log('info', 'Orchestration started', { ...fields, resumed_workflows: saved.length });
      return { orchestrationId: plan.identity.orchestrationId, alreadyRunning: false, resumedWorkflows: saved.length };
    } catch (e) {
      const cleanupErrors: Error[] = [];
      this.orchestrations.delete(plan.identity.orchestrationId);
      this.holdProcess();
      if (orchestration) {
        const r = await orchestration.stop();
        cleanupErrors.push(...r.errors);
      }
      if (pipelineAcquired) cleanupErrors.push(...(await this.pipelines.release(plan.pipelineCls)));
      cleanupErrors.push(...(await this.resources.releaseAll(acquired)));
      this.log.log('error', 'Failed to start orchestration', { ...fields, stage, ...errorFields(e) });
      if (e instanceof InvalidComponentError || e instanceof WorkflowContextTypeMismatchError || e instanceof ConfigError) throw e;
      throw new OrchestrationStartError(`Failed to start orchestration ${plan.identity.orchestrationId} (${plan.minionCls.name} on ${plan.pipelineCls.name}) at ${stage}: ${(e as Error)?.message ?? String(e)}`, e, cleanupErrors);
    }
  }

  /**
   * Reads and decodes an orchestration's saved workflows (SEMANTICS 5, "Resume on start"):
   * undecodable rows are logged and skipped, ids still running in this process are not taken
   * twice, and rows that no longer fit the classes or the step list fail the start.
   * @throws WorkflowContextTypeMismatchError (count and remedy), or the store's read error.
   */
  private async loadSaved(plan: StartPlan, fields: Record<string, string>): Promise<WorkflowState[]> {
    const stored = await this.services.store.getContextsForOrchestration(plan.identity.orchestrationId);
    const rows = stored.filter((r) => !this.services.activeWorkflows.has(r.workflowId));
    if (rows.length < stored.length) {
      this.log.log('warn', 'Saved workflows still running in this process were not resumed twice', {
        ...fields, skipped_workflows: stored.length - rows.length,
        suggestion: 'A previous stop abandoned them; restart the process to resume them safely.',
      });
    }
    const decoded = decodeSaved(rows, {
      event: plan.minionMeta.event as new () => object, context: plan.minionMeta.context as new () => object,
      fingerprint: plan.fingerprint, stepCount: plan.steps.length,
    }, this.log, fields);
    if (decoded.mismatched.length > 0) {
      throw new WorkflowContextTypeMismatchError(
        `${decoded.mismatched.length} saved workflow(s) of ${plan.minionCls.name} (orchestration ${plan.identity.orchestrationId}) no longer fit ` +
        `its event/context classes or step list (first: ${decoded.mismatched[0].workflowId}: ${decoded.mismatched[0].reason}). ` +
        `Nothing was changed. Restore the previous classes and let the workflows finish (drain), or delete those checkpoints ` +
        `(minions inspect lists them) before starting the new version.`, decoded.mismatched.length);
    }
    return decoded.states;
  }

  /**
   * Stops an orchestration (SEMANTICS 4 W-17, 7): intake stops, in-flight workflows get
   * `stopGraceMs`, then `this.signal` aborts, then stragglers are abandoned after `cancelTimeoutMs`.
   * Fail-closed: the orchestration is removed even when cleanup fails (errors in the result).
   * Concurrent stops share one attempt and one result.
   * @throws OrchestrationNotFoundError when the id is not running.
   */
  stopOrchestration(orchestrationId: string): Promise<StopResult> {
    const pending = this.stopping.get(orchestrationId);
    if (pending) return pending;
    const o = this.orchestrations.get(orchestrationId);
    if (!o) return Promise.reject(new OrchestrationNotFoundError(orchestrationId));
    const attempt = this.stop(o).finally(() => this.stopping.delete(orchestrationId));
    this.stopping.set(orchestrationId, attempt);
    return attempt;
  }

  private async stop(o: Orchestration): Promise<StopResult> {
    this.log.log('debug', 'Stopping orchestration...', o.logFields);
    const result = await o.stop();
    this.orchestrations.delete(o.id);
    this.holdProcess();
    const errors = [...result.errors];
    errors.push(...(await this.pipelines.release(o.plan.pipelineCls)));
    errors.push(...(await this.resources.releaseAll(resourceDeps(o.plan.minionCls))));
    o.state = 'stopped';
    const fields = { ...o.logFields, unfinished_workflows: result.unfinishedWorkflows };
    if (errors.length > 0) {
      this.log.log('error', 'Orchestration stopped with errors', { ...fields, errors: errors.map((e) => e.message) });
    } else {
      this.log.log('info', 'Orchestration stopped', fields);
    }
    return { ...result, errors };
  }

  /**
   * Resolves when the pipeline(s) completed and no workflow is in flight, for one
   * orchestration or all; also when the orchestration stops while waiting.
   * @throws OrchestrationNotFoundError when the id is not running.
   */
  async whenIdle(orchestrationId?: string): Promise<void> {
    if (orchestrationId === undefined) {
      await Promise.all([...this.orchestrations.values()].map((o) => o.dispatcher.whenIdle()));
      return;
    }
    const o = this.orchestrations.get(orchestrationId);
    if (!o) throw new OrchestrationNotFoundError(orchestrationId);
    await o.dispatcher.whenIdle();
  }

  /** What runs now: orchestrations with their state and load, pipelines, resources with reference counts. */
  snapshot(): GruSnapshot {
    return {
      orchestrations: [...this.orchestrations.values()].map((o) => o.snapshot()),
      pipelines: this.pipelines.snapshot(),
      resources: this.resources.snapshot(),
    };
  }

  /**
   * Stops every orchestration, then closes the store, logger and metrics (SEMANTICS 7), all
   * within `shutdownTimeoutMs`. Idempotent; concurrent callers share one attempt. Afterwards
   * a new Gru may be created.
   */
  shutdown(): Promise<void> {
    this.shutdownPromise ??= this.doShutdown();
    return this.shutdownPromise;
  }

  /** `await using gru = await Gru.create()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.shutdown();
  }

  private async doShutdown(): Promise<void> {
    this.removeSignalHandlers();
    this.log.log('info', 'Gru shutting down...');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), this.shutdownTimeoutMs); });
    const ids = [...this.orchestrations.keys()];
    const stops = Promise.allSettled(ids.map((id) => this.stopOrchestration(id)));
    const outcome = await Promise.race([stops, deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.log.log('error', 'Gru shutdown deadline passed; orchestrations still stopping were cut', {
        shutdown_timeout_ms: this.shutdownTimeoutMs, cut: [...this.orchestrations.keys()],
      });
    } else {
      const failures = outcome.flatMap((r) => (r.status === 'fulfilled' ? r.value.errors : [r.reason as Error]));
      if (failures.length > 0) this.log.log('error', 'Gru shutdown completed with internal errors', { errors: failures.map((e) => String(e?.message ?? e)) });
    }
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    this.services.memoryGuard?.stop();
    this.log.log('info', 'Gru shutdown complete');
    for (const port of [this.infra.store, this.infra.metrics, this.infra.logger] as Array<{ shutdown?(): Promise<void> }>) {
      try { await port.shutdown?.(); } catch (e) { process.stderr.write(`[minions] ${port.constructor.name}.shutdown failed: ${String(e)}\n`); }
    }
    releaseLiveGru(this);
  }

  private holdProcess(): void {
    if (this.orchestrations.size > 0 && !this.keepAlive) {
      this.keepAlive = setInterval(() => undefined, 60_000);
    } else if (this.orchestrations.size === 0 && this.keepAlive) {
      clearInterval(this.keepAlive);
      this.keepAlive = undefined;
    }
  }

  private installSignalHandlers(): void {
    this.signalHandler = () => { void this.shutdown(); };
    process.once('SIGINT', this.signalHandler);
    process.once('SIGTERM', this.signalHandler);
  }

  private removeSignalHandlers(): void {
    if (!this.signalHandler) return;
    process.removeListener('SIGINT', this.signalHandler);
    process.removeListener('SIGTERM', this.signalHandler);
  }

  private assertOpen(): void {
    if (this.shutdownPromise) throw new GruShutDownError();
  }

  private failOrchestration(orchestrationId: string, why: string, error: unknown): void {
    const o = this.orchestrations.get(orchestrationId);
    if (!o || o.state !== 'running') return;
    this.log.log('error', 'Stopping orchestration after a runtime failure', { ...o.logFields, reason: why, ...errorFields(error) });
    void this.stopOrchestration(orchestrationId).catch(() => undefined);
  }

  private onResourceFailed(identity: string, error: Error): void {
    for (const o of [...this.orchestrations.values()]) {
      if (o.resourceIdentities.has(identity)) this.failOrchestration(o.id, `resource ${identity} failed`, error);
    }
  }

  private onPipelineFailed(identity: string, error: unknown): void {
    for (const o of [...this.orchestrations.values()]) {
      if (o.plan.identity.pipelineId === identity) this.failOrchestration(o.id, `pipeline ${identity} failed`, error);
    }
  }
}
