import { dirname, isAbsolute } from 'node:path';
import type { Container } from 'inversify';
import type { Resource } from '../core/components/resource';
import {
  GruShutDownError, InvalidComponentError, OrchestrationNotFoundError, OrchestrationStartError, ResourceNotFoundError, asError,
} from '../core/errors';
import { MemoryGuard } from '../core/fanout/memory-guard';
import { newExecutorId } from '../core/identity/executor-id';
import { DiskHealth } from '../core/runtime/disk-health';
import { EventLoopDelayMonitor } from '../core/runtime/event-loop-delay';
import { ComponentLifecycle } from '../core/lifecycle/component-lifecycle';
import { settlesWithin } from '../core/lifecycle/with-deadline';
import { SafeLogger, errorFields } from '../core/runtime/safe-logger';
import { SafeMetrics } from '../core/runtime/safe-metrics';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { createContainer, ResourceRegistry, resourceDependencies as resourceDeps, type InfraPorts } from '../di';
import { NoOpMetrics, NoOpStateStore, PrometheusMetrics, SqliteStateStore, WinstonLogger } from '../infra';
import { closeGruAttachments, startGruAttachments, type GruAttachment } from './attachments';
import { resolveRuntimeOptions, type GruOptions } from './gru-options';
import { claimLiveGru, releaseLiveGru } from './live-gru';
import { describeContainerLimit, resolveMemoryLimit } from './memory-soft-limit';
import type { Orchestration } from './orchestration';
import type { AnyOrchestrationSpec, ComponentRef, GruSnapshot, OrchestrationSpec, StartResult, StopResult } from './orchestration-spec';
import { OrchestrationStarter, type PreparedStart } from './orchestration-starter';
import { PipelineRegistry } from './pipeline-registry';
import { assertSavedFit, reloadMinionClass } from './redeploy';
import { SavedWorkflows, type SavedWorkflow, type WorkflowQuery } from './saved-workflows';
import { planStart, type StartPlan } from './start-plan';

/**
 * The runtime owner of a process: the Inversify container, the state store,
 * logger and metrics, and every running orchestration, pipeline and resource.
 * One live Gru per process; `await using gru = await Gru.create()` shuts it down on scope exit.
 */
export class Gru {
  private readonly orchestrations = new Map<string, Orchestration>();
  private readonly starting = new Map<string, Promise<StartResult>>();
  private readonly stopping = new Map<string, Promise<StopResult>>();
  private readonly resources: ResourceRegistry;
  private readonly pipelines: PipelineRegistry;
  private readonly starter: OrchestrationStarter;
  private readonly log: SafeLogger;
  private readonly savedWorkflows: SavedWorkflows;
  private shutdownPromise?: Promise<void>;
  private signalHandler?: () => void;
  /** Holds the process open while orchestrations run, as a listening server would. */
  private keepAlive?: NodeJS.Timeout;
  /** Parts above the Gru started by `create` (the admin API); see `attachments.ts`. */
  private attachments: GruAttachment[] = [];
  /** Feeds `minions_event_loop_delay_seconds`; absent with `metrics: null`. */
  private eventLoopDelay?: EventLoopDelayMonitor;

  private constructor(
    private readonly container: Container,
    private readonly services: RuntimeServices,
    /** The store, logger and metrics, in start order; shut down in reverse. */
    private readonly ports: ComponentLifecycle[],
    /**
     * This process's executor id, `<host>/<pid>/<random>`: new at every `Gru.create`, logged
     * then ('Gru started'). A store shared by several processes (`PostgresStateStore`) records it
     * as the owner of the checkpoints this process saves.
     */
    readonly executorId: string,
  ) {
    this.log = services.log;
    this.savedWorkflows = new SavedWorkflows(services);
    this.resources = new ResourceRegistry(container, services, (id, e) => this.onResourceFailed(id, e));
    this.pipelines = new PipelineRegistry(container, this.resources, services, (id, e) => this.onPipelineFailed(id, e));
    this.starter = new OrchestrationStarter(container, services, this.resources, this.pipelines,
      (id, e) => this.failOrchestration(id, 'its minion run() ended', e),
      (id) => this.orchestrations.has(id) || this.starting.has(id));
  }

  /**
   * Creates the process's Gru and starts its store, logger and metrics (those passed in or bound
   * in `modules` too), each within `startupTimeoutMs`. Each port is, in this order of precedence:
   * the `GruOptions` field (`null`: none), a binding from `modules`, or the default
   * (`SqliteStateStore` at `minions.db`, `WinstonLogger`, `PrometheusMetrics` on 127.0.0.1:8081),
   * built only when nothing else binds it. Then the admin API starts (see `GruOptions.admin`).
   * @throws GruAlreadyRunningError when another Gru is live in this process.
   * @throws InvalidOptionError for a bad option; the error of a port's `startup()`, or a
   *   `StartupTimeoutError` (what started is shut down). The default store's are
   *   `StateStoreLockedError` (another process holds the file) and `StateStoreOpenError` (the
   *   file cannot be opened). A zero-length store file starts as a new store, with a warning.
   */
  static async create(options: GruOptions = {}): Promise<Gru> {
    const runtimeOptions = resolveRuntimeOptions(options);
    const claim = {};
    claimLiveGru(claim);
    const executorId = newExecutorId();
    let ports: ComponentLifecycle[] = [];
    let container: Container;
    let infra: InfraPorts;
    try {
      ({ container, ports: infra } = createContainer(options.modules ?? [], {
        stateStore: { explicit: options.stateStore === null ? new NoOpStateStore() : options.stateStore, fallback: () => new SqliteStateStore({ path: 'minions.db' }) },
        logger: { explicit: options.logger, fallback: () => new WinstonLogger() },
        metrics: { explicit: options.metrics === null ? new NoOpMetrics() : options.metrics, fallback: () => new PrometheusMetrics() },
      }));
      const { startupTimeoutMs, cancelTimeoutMs, shutdownTimeoutMs } = runtimeOptions;
      ports = ([[infra.logger, 'logger'], [infra.metrics, 'metrics'], [infra.stateStore, 'store']] as const).map(([port, kind]) =>
        new ComponentLifecycle(port, port.constructor.name, { kind, startupTimeoutMs, cancelTimeoutMs, shutdownTimeoutMs }));
      for (const port of ports) await port.start();
      // A store shared by several processes records this one as the owner of what it saves.
      await infra.stateStore.attachExecutor?.(executorId);
    } catch (e) {
      for (const port of [...ports].reverse()) await port.stop();
      releaseLiveGru(claim);
      throw e;
    }
    const store = infra.stateStore;
    const services: RuntimeServices = {
      store, storeName: store.constructor.name, discardsWrites: store.constructor === NoOpStateStore,
      log: new SafeLogger(infra.logger), metrics: new SafeMetrics(infra.metrics), options: runtimeOptions,
      hooks: options.hooks ?? {}, activeWorkflows: new Set(),
    };
    if (store instanceof SqliteStateStore && store.fileAtStartup === 'empty') {
      services.log.log('warn', 'State store file was empty (0 bytes): started as a new store', { file: store.file });
    }
    let gru: Gru | undefined;
    services.disk = new DiskHealth(services.log, services.metrics, runtimeOptions.diskFullTimeoutMs, (e) => gru?.failAll('the disk stayed full', e));
    const memory = resolveMemoryLimit(runtimeOptions);
    if (memory) {
      services.memoryGuard = new MemoryGuard(memory.limit, services.log, services.metrics, { resumeRatio: runtimeOptions.memoryResumeRatio });
      const mib = (bytes: number): number => Math.round(bytes / 1048576);
      services.log.log('info', 'Memory guard on', {
        container_memory_limit: describeContainerLimit(memory.container), soft_limit_mib: mib(memory.limit.bytes),
        resume_below_mib: mib(services.memoryGuard.resumeBelowBytes), limit_source: memory.limit.source,
      });
      if (memory.ofSystemMemory) {
        services.log.log('warn', 'Memory guard: no container memory limit found; memorySoftLimit is taken of total system memory', {
          soft_limit_mib: mib(memory.limit.bytes), suggestion: 'Set a memory limit on the container or service, or use memorySoftLimitMiB.',
        });
      }
      services.memoryGuard.start();
    }
    gru = new Gru(container, services, ports, executorId);
    services.log.log('info', 'Gru started', { executor_id: executorId, state_store: services.storeName });
    if (!(infra.metrics instanceof NoOpMetrics)) {
      gru.eventLoopDelay = new EventLoopDelayMonitor(services.metrics);
      gru.eventLoopDelay.start();
    }
    releaseLiveGru(claim);
    claimLiveGru(gru);
    const stateDir = store instanceof SqliteStateStore && isAbsolute(store.file) ? dirname(store.file) : process.cwd();
    try {
      gru.attachments = await startGruAttachments({ gru, options, metrics: infra.metrics, stateDir, log: services.log });
    } catch (e) {
      await gru.shutdown();
      throw e;
    }
    if (options.handleSignals) gru.installSignalHandlers();
    return gru;
  }

  /**
   * Base URL of the admin API (`http://<host>:<port>`, no trailing slash) while it is served;
   * `undefined` when it is off (see `GruOptions.admin`) or after `shutdown()`.
   */
  get adminUrl(): string | undefined {
    return this.attachments.find((a) => a.name === 'admin')?.url;
  }

  /**
   * Starts an orchestration, or reports it already running. Resources and
   * the pipeline are shared by identity; saved unfinished workflows of this orchestration
   * resume before any live event. To start several that share a pipeline, use
   * {@link startOrchestrations}: a pipeline already producing is a hot source, and a
   * subscriber that attaches later sees only the events produced after it attached.
   * @throws InvalidComponentError, ResourceCycleError, ConfigError for a bad spec (nothing constructed);
   *   WorkflowContextTypeMismatchError when saved workflows no longer fit (rolled back, nothing changed);
   *   OrchestrationStartError wrapping a constructor, `startup()` (or its `StartupTimeoutError`),
   *   `loadConfig` or store read failure, naming the stage (rolled back);
   *   MemoryPressureError while the memory guard holds intake back (nothing constructed; retryable).
   */
  async startOrchestration<E, Cfg>(spec: OrchestrationSpec<E, Cfg>): Promise<StartResult> {
    return (await this.startOrchestrations([spec]))[0];
  }

  /**
   * Starts several orchestrations as one unit: every one is built
   * and started up first, then all attach to their pipelines before any shared pipeline
   * produces its first event, so each sees every event. All start or none: when one fails,
   * the others of the batch are rolled back and the call rejects with that failure (as
   * {@link startOrchestration} would). Results are in the order of `specs`; a spec listed twice,
   * or already running, reports `alreadyRunning`.
   * @throws as {@link startOrchestration}; validation errors before anything is constructed.
   */
  async startOrchestrations(specs: readonly AnyOrchestrationSpec[]): Promise<StartResult[]> {
    this.assertOpen();
    const plans = specs.map((spec) => planStart(spec as OrchestrationSpec<unknown, unknown>, this.container, (cls) => this.resources.isOverridden(cls)));
    this.services.memoryGuard?.assertRoom();
    return this.startPlans(plans);
  }

  private async startPlans(plans: StartPlan[]): Promise<StartResult[]> {
    this.assertOpen();
    this.assertIdentitiesFree(plans);
    const results: StartResult[] = new Array(plans.length);
    const fresh: StartPlan[] = [];
    const waits: Promise<void>[] = [];
    plans.forEach((plan, i) => {
      const id = plan.identity.orchestrationId;
      const already: StartResult = { orchestrationId: id, alreadyRunning: true, resumedWorkflows: 0 };
      const pending = this.starting.get(id);
      if (this.orchestrations.has(id) || fresh.some((p) => p.identity.orchestrationId === id)) results[i] = already;
      else if (pending) waits.push(pending.then(() => { results[i] = already; }));
      else fresh.push(plan);
    });
    if (fresh.length > 0) {
      const attempt = this.startTogether(fresh);
      for (const plan of fresh) {
        const one = attempt.then((started) => started.get(plan.identity.orchestrationId)!);
        one.catch(() => undefined);
        this.starting.set(plan.identity.orchestrationId, one);
      }
      try {
        const started = await attempt;
        plans.forEach((plan, i) => { results[i] ??= started.get(plan.identity.orchestrationId)!; });
      } finally {
        for (const plan of fresh) this.starting.delete(plan.identity.orchestrationId);
      }
    }
    await Promise.all(waits);
    return results;
  }

  private assertIdentitiesFree(plans: StartPlan[]): void {
    const claimed = new Map<string, Function>();
    for (const o of this.orchestrations.values()) claimed.set(o.plan.identity.minionId, o.plan.minionCls);
    for (const plan of plans) {
      const other = claimed.get(plan.identity.minionId);
      if (other && other !== plan.minionCls) {
        throw new InvalidComponentError(`Minion identity ${plan.identity.minionId} is already running from another class ${other.name}; ` +
          `${plan.minionCls.name} claims it too. Give each class an explicit @minion({ id }).`);
      }
      claimed.set(plan.identity.minionId, plan.minionCls);
      this.pipelines.identityOf(plan.pipelineCls);
      for (const r of plan.resources) this.resources.identityOf(r);
    }
  }

  /** Prepares every plan, then serves them all and only then opens their pipelines. All or none. */
  private async startTogether(plans: StartPlan[]): Promise<Map<string, StartResult>> {
    const prepared: PreparedStart[] = [];
    try {
      for (const plan of plans) prepared.push(await this.starter.prepare(plan));
      const failed = prepared.find((p) => p.orchestration.lifecycle.state === 'failed');
      if (failed) {
        throw new OrchestrationStartError(`Failed to start orchestration ${failed.plan.identity.orchestrationId} ` +
          `(${failed.plan.minionCls.name} on ${failed.plan.pipelineCls.name}) at stage run: ${failed.orchestration.lifecycle.failure?.message}`,
          failed.orchestration.lifecycle.failure);
      }
    } catch (e) {
      const cleanup: Error[] = [];
      for (const p of prepared.reverse()) cleanup.push(...(await this.starter.rollback(p)));
      if (e instanceof OrchestrationStartError) e.cleanupErrors.push(...cleanup);
      else if (cleanup.length > 0) this.log.log('error', 'Rolling back a batch of orchestrations met errors', { errors: cleanup.map((c) => c.message) });
      throw e;
    }
    const results = new Map<string, StartResult>();
    for (const p of prepared) {
      const id = p.plan.identity.orchestrationId;
      this.orchestrations.set(id, p.orchestration);
      this.starter.serve(p, (e) => this.failOrchestration(id, 'its subscriber buffer overflowed', e));
      results.set(id, { orchestrationId: id, alreadyRunning: false, resumedWorkflows: p.saved.length });
    }
    this.holdProcess();
    for (const pipeline of new Set(prepared.map((p) => p.pipeline))) pipeline.open();
    return results;
  }

  /**
   * Stops an orchestration: intake stops, in-flight workflows get
   * `stopGraceMs`, then `this.signal` aborts, then stragglers are abandoned after `cancelTimeoutMs`.
   * Fail-closed: the orchestration is removed even when cleanup fails (errors in the result).
   * Concurrent stops share one attempt and one result.
   * @throws OrchestrationNotFoundError when the id is not running.
   */
  stopOrchestration(orchestrationId: string): Promise<StopResult> {
    return this.stopOnce(orchestrationId, (o) => o.stop());
  }

  /**
   * Drains an orchestration, then stops it: it takes no more events from its pipeline
   * (the pipeline goes on for its other subscribers), runs the events it already took and its
   * in-flight workflows for up to `timeoutMs`, then stops as {@link stopOrchestration} does, so
   * that what still runs is interrupted and resumes from its checkpoint at the next start.
   * While it drains, its state is `draining`. A stop or drain already under way is shared.
   * @param options.timeoutMs - ms; default `GruOptions.drainTimeoutMs` (30000).
   * @throws OrchestrationNotFoundError when the id is not running.
   */
  drainOrchestration(orchestrationId: string, options: { timeoutMs?: number } = {}): Promise<StopResult> {
    const timeoutMs = options.timeoutMs ?? this.services.options.drainTimeoutMs;
    return this.stopOnce(orchestrationId, (o) => o.drain(timeoutMs));
  }

  /**
   * Drains an orchestration and starts it again from the spec it was started with: the config
   * file is read again, and it gets fresh instances of its minion, and of its pipeline and
   * resources unless another running orchestration shares them. Workflows the drain interrupted
   * resume first. With `reload` (a redeploy), the minion's module (a spec that names it by
   * module path) is loaded from disk again first, so changed code runs without stopping the
   * process or the other orchestrations; when the new code no longer fits the saved workflows,
   * nothing is stopped and the error is thrown. Should the new start fail after the drain, the
   * previous code is started again and the start's error is thrown.
   * @returns the new start's result (its `orchestrationId` changes when the config's identity did).
   * @throws OrchestrationNotFoundError; for `reload`, InvalidComponentError (no module path, the
   *   module does not load, or the loader cannot load it again) or WorkflowContextTypeMismatchError
   *   (the orchestration keeps running); the errors of {@link startOrchestration}.
   */
  async restartOrchestration(orchestrationId: string, options: { reload?: boolean } = {}): Promise<StartResult> {
    this.assertOpen();
    const o = this.orchestrations.get(orchestrationId);
    if (!o) throw new OrchestrationNotFoundError(orchestrationId);
    const previous = { minion: o.plan.minionCls, pipeline: o.plan.pipelineCls };
    let next = previous;
    if (options.reload) {
      next = { ...previous, minion: reloadMinionClass(o.plan) };
      const plan = planStart(o.plan.spec, this.container, (cls) => this.resources.isOverridden(cls), next);
      await assertSavedFit(this.services, plan, o.logFields);
    }
    this.log.log('info', options.reload ? 'Redeploying orchestration...' : 'Restarting orchestration...', o.logFields);
    await this.drainOrchestration(orchestrationId);
    try {
      return await this.startResolved(o.plan.spec, next);
    } catch (e) {
      if (next === previous) throw e;
      this.log.log('error', 'Redeployed code failed to start; starting the previous code again', { ...o.logFields, ...errorFields(e) });
      await this.startResolved(o.plan.spec, previous);
      throw e;
    }
  }

  /**
   * Restarts a resource: every orchestration that depends on it, directly or through another
   * resource or its pipeline, is drained (so the resource, with nobody holding it, stops after
   * them, its dependents first), then those orchestrations start again together, which starts a
   * fresh instance of the resource before them, dependencies first. Orchestrations that do not
   * use it are not touched.
   * @param resource - the class, its id (or fallback address), or its class name.
   * @throws ResourceNotFoundError when no running orchestration uses it; the errors of
   *   {@link startOrchestrations} when the new start fails (the dependents then stay stopped).
   */
  async restartResource(resource: ComponentRef<Resource> | string): Promise<void> {
    this.assertOpen();
    const identity = this.findResource(resource);
    const dependents = [...this.orchestrations.values()].filter((o) => o.resourceIdentities.has(identity));
    if (dependents.length === 0) throw new ResourceNotFoundError(typeof resource === 'string' ? resource : resource.name);
    this.log.log('info', 'Restarting resource...', { resource_id: identity, dependents: dependents.map((o) => o.id) });
    await Promise.all(dependents.map((o) => this.drainOrchestration(o.id)));
    const plans = dependents.map((o) => planStart(o.plan.spec, this.container, (cls) => this.resources.isOverridden(cls),
      { minion: o.plan.minionCls, pipeline: o.plan.pipelineCls }));
    await this.startPlans(plans);
    this.log.log('info', 'Resource restarted', { resource_id: identity, dependents: dependents.map((o) => o.id) });
  }

  private findResource(ref: ComponentRef<Resource> | string): string {
    const running = this.resources.snapshot();
    const found = typeof ref === 'function'
      ? running.find((r) => r.identity === this.resources.identityOf(ref))
      : running.find((r) => r.identity === ref) ?? running.find((r) => r.className === ref);
    if (!found) throw new ResourceNotFoundError(typeof ref === 'string' ? ref : ref.name);
    return found.identity;
  }

  private async startResolved(spec: OrchestrationSpec<unknown, unknown>, resolved: { minion: Function; pipeline: Function }): Promise<StartResult> {
    const plan = planStart(spec, this.container, (cls) => this.resources.isOverridden(cls), resolved);
    return (await this.startPlans([plan]))[0];
  }

  private stopOnce(orchestrationId: string, how: (o: Orchestration) => Promise<StopResult>): Promise<StopResult> {
    const pending = this.stopping.get(orchestrationId);
    if (pending) return pending;
    const o = this.orchestrations.get(orchestrationId);
    if (!o) return Promise.reject(new OrchestrationNotFoundError(orchestrationId));
    const attempt = this.stop(o, how).finally(() => this.stopping.delete(orchestrationId));
    this.stopping.set(orchestrationId, attempt);
    return attempt;
  }

  private async stop(o: Orchestration, how: (o: Orchestration) => Promise<StopResult>): Promise<StopResult> {
    this.log.log('debug', 'Stopping orchestration...', o.logFields);
    const result = await how(o);
    this.orchestrations.delete(o.id);
    this.holdProcess();
    const errors = [...result.errors];
    errors.push(...(await this.pipelines.release(o.plan.pipelineCls)));
    errors.push(...(await this.resources.releaseAll(resourceDeps(o.plan.minionCls))));
    const fields = { ...o.logFields, unfinished_workflows: result.unfinishedWorkflows, state: o.state };
    if (errors.length > 0) {
      this.log.log('error', 'Orchestration stopped with errors', { ...fields, errors: errors.map((e) => e.message) });
    } else {
      this.log.log('info', 'Orchestration stopped', fields);
    }
    this.notifyStopped(o, result.unfinishedWorkflows);
    return { ...result, errors };
  }

  /**
   * Resolves when the pipeline(s) completed and no workflow is in flight, for one
   * orchestration or all; also when the orchestration stops while waiting.
   * @throws OrchestrationNotFoundError when the id is not running.
   */
  async whenIdle(orchestrationId?: string): Promise<void> {
    if (orchestrationId === undefined) {
      await Promise.all([...this.orchestrations.values()].map((o) => o.intake.whenIdle()));
      return;
    }
    const o = this.orchestrations.get(orchestrationId);
    if (!o) throw new OrchestrationNotFoundError(orchestrationId);
    await o.intake.whenIdle();
  }

  /**
   * Saved workflows (checkpoints in the state store), optionally filtered by state and
   * orchestration: the ones running in this process, the ones waiting to resume, and failed ones
   * kept by `workflowFailurePolicy: 'keep'`.
   * @throws InvalidArgumentError for an unknown state; the store's read error.
   */
  listWorkflows(query: WorkflowQuery = {}): Promise<SavedWorkflow[]> {
    return this.savedWorkflows.list(query);
  }

  /**
   * Runs a failed workflow kept by `workflowFailurePolicy: 'keep'` again from the step that
   * failed, with the context it had before that step, in its running orchestration. Resolves
   * once it is queued (its outcome comes later, as any workflow's). The checkpoint is first saved
   * again without its failure mark, so a crash during the retry resumes it at the next start;
   * the retried run ends like any workflow (deleted when it succeeds, kept again if it fails).
   * @throws WorkflowNotFoundError; InvalidArgumentError when the workflow is not a kept failed
   *   one (a running or waiting one, or a retry of it already under way) or its orchestration is
   *   draining or stopping; OrchestrationNotFoundError when its orchestration does not run in
   *   this Gru; WorkflowContextTypeMismatchError when it no longer fits the orchestration's
   *   event/context classes or step list (nothing is changed); the store's write error.
   */
  async retryWorkflow(workflowId: string): Promise<void> {
    this.assertOpen();
    await this.savedWorkflows.retry(workflowId, (id) => this.orchestrations.get(id));
  }

  /**
   * Deletes a saved workflow's checkpoint (a failed one kept for inspection, or one waiting to
   * resume that is no longer wanted): it will not run again, also when it is queued here to
   * resume (behind `maxInFlight`, or retried and not yet started).
   * @throws WorkflowNotFoundError; InvalidArgumentError when it runs now (drain or stop its orchestration first); the store's write error.
   */
  deleteWorkflow(workflowId: string): Promise<void> {
    this.assertOpen();
    return this.savedWorkflows.delete(workflowId, (id) => this.orchestrations.get(id));
  }

  /**
   * Whether this process is ready for work (`GET /readyz`): every orchestration is running (none
   * starting, draining, stopping or failed) and the store can write (the disk is not full). The
   * reasons say what is not; none when ready. Not ready either while the memory guard holds intake back.
   */
  readiness(): { ready: boolean; reasons: string[] } {
    const reasons: string[] = [];
    if (this.shutdownPromise) reasons.push('the Gru is shutting down');
    for (const o of this.orchestrations.values()) {
      if (o.state !== 'running') reasons.push(`orchestration ${o.id} is ${o.state}`);
    }
    if (this.services.disk?.full) reasons.push('the state store cannot write: the disk is full');
    if (this.services.memoryGuard?.paused) reasons.push('process memory is above the memory soft limit: intake is paused');
    return { ready: reasons.length === 0, reasons };
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
   * Stops every orchestration, then closes the store, logger and metrics, all
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
    const { shutdownTimeoutMs } = this.services.options;
    const stops = Promise.allSettled([...this.orchestrations.keys()].map((id) => this.stopOrchestration(id)));
    if (!(await settlesWithin(stops, shutdownTimeoutMs))) {
      this.log.log('error', 'Gru shutdown deadline passed; orchestrations still stopping were cut', {
        shutdown_timeout_ms: shutdownTimeoutMs, cut: [...this.orchestrations.keys()],
      });
    } else {
      const failures = (await stops).flatMap((r) => (r.status === 'fulfilled' ? r.value.errors : [r.reason as Error]));
      if (failures.length > 0) this.log.log('error', 'Gru shutdown completed with internal errors', { errors: failures.map((e) => String(e?.message ?? e)) });
    }
    clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    this.services.memoryGuard?.stop();
    this.eventLoopDelay?.stop();
    this.eventLoopDelay = undefined;
    this.services.disk?.stop();
    const attachments = this.attachments;
    this.attachments = [];
    await closeGruAttachments(attachments);
    this.log.log('info', 'Gru shutdown complete');
    for (const port of [...this.ports].reverse()) {
      for (const e of await port.stop()) process.stderr.write(`[minions] ${port.name}.shutdown failed: ${e.message}\n`);
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

  /** A runtime failure: the orchestration is marked failed and stopped. */
  private failOrchestration(orchestrationId: string, why: string, error: unknown): void {
    const o = this.orchestrations.get(orchestrationId);
    if (!o || this.stopping.has(orchestrationId)) return;
    o.lifecycle.fail(asError(error, why));
    this.log.log('error', 'Stopping orchestration after a runtime failure', { ...o.logFields, reason: why, ...errorFields(error) });
    void this.stopOrchestration(orchestrationId).catch(() => undefined);
  }

  private notifyStopped(o: Orchestration, unfinishedWorkflows: number): void {
    const hook = this.services.hooks.orchestrationStopped;
    if (!hook) return;
    const state = o.state === 'failed' ? 'failed' : 'stopped';
    try {
      hook({ orchestrationId: o.id, state, error: state === 'failed' ? o.lifecycle.failure : undefined, unfinishedWorkflows });
    } catch (e) {
      this.log.log('error', 'Workflow hook failed', { ...o.logFields, hook: 'orchestrationStopped', ...errorFields(e) });
    }
  }

  /** Fails every running orchestration (the disk stayed full). */
  private failAll(why: string, error: Error): void {
    for (const id of [...this.orchestrations.keys()]) this.failOrchestration(id, why, error);
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
