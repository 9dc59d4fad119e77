import { componentRuntime } from '../components/component-base';
import { InternalError, RunReturnedError, ShutdownTimeoutError, StartupTimeoutError, TasksAbandonedError, asError, type ComponentKind } from '../errors';
import { errorFields, type SafeLogger } from '../runtime/safe-logger';
import { markFailureSite } from './failure-site';
import { settlesWithin, withDeadline } from './with-deadline';

/**
 * Where a component is in its life. `failed`: its startup failed, or its `run()` settled before
 * it was asked to stop, or its owner failed it; a stop still follows and keeps the state.
 */
export type LifecycleState = 'created' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/** The optional hooks every component (resource, pipeline, minion) and every port may have. */
export interface LifecycleHooks {
  startup?(): Promise<void> | void;
  run?(signal: AbortSignal): Promise<void>;
  shutdown?(): Promise<void> | void;
}

/** How one component's lifecycle is run. Deadlines in milliseconds. */
export interface LifecycleOptions {
  kind: ComponentKind;
  /** Deadline of `startup()`. */
  startupTimeoutMs: number;
  /** After the stop signal aborted: how long owned tasks and `run()` may take to settle. */
  cancelTimeoutMs: number;
  /** Deadline of `shutdown()`. */
  shutdownTimeoutMs: number;
  /** Lifecycle lines (debug) and hook failures (error); none for the ports, which are the logger. */
  log?: SafeLogger;
  /** Fields naming the component on every line. */
  fields?: Record<string, unknown>;
  /** `run()` settled before the stop: the owner stops what depends on it. */
  onRunFailed?: (error: Error) => void;
}

/** One shared reason: `abort()` without one builds a DOMException with a stack trace each time. */
const STOPPED = new DOMException('The component is stopping', 'AbortError');

/**
 * The one lifecycle of resources, pipelines, minions and the infrastructure ports:
 * `created -> starting -> running -> stopping -> stopped`, or `failed`. `startup()` runs within
 * `startupTimeoutMs` (else {@link StartupTimeoutError}); `run(signal)` is supervised; a stop
 * runs the owner's drain, aborts the component's signal, waits for its owned tasks and `run()`
 * (`cancelTimeoutMs`), then runs `shutdown()` within `shutdownTimeoutMs` (else
 * {@link ShutdownTimeoutError}). A stop never throws: it returns the errors it met, and
 * concurrent stops share one attempt.
 */
export class ComponentLifecycle {
  private current: LifecycleState = 'created';
  private runTask?: Promise<void>;
  private stopPromise?: Promise<Error[]>;
  private startedUp = false;
  /** Why the component failed, once it did. */
  failure?: Error;

  constructor(
    private readonly instance: LifecycleHooks & object,
    /** Class name, as errors and log lines name the component. */
    readonly name: string,
    private readonly options: LifecycleOptions,
  ) {
    const { log, fields } = options;
    if (log) componentRuntime(instance).onTaskError = (e) => log.log('error', `${name} service task failed`, { ...fields, ...errorFields(e) });
  }

  get state(): LifecycleState {
    return this.current;
  }

  /**
   * Runs `startup()` within its deadline. The owner then calls {@link startRun} when the
   * component is in service (a resource at once, a minion once its pipeline serves it).
   * @throws StartupTimeoutError when the deadline passes; the error of `startup()`. Either way
   *   the state is `failed` and the component's signal is aborted (its spawned work stops).
   */
  async start(): Promise<void> {
    if (this.current !== 'created') throw new InternalError(`${this.options.kind} ${this.name} cannot start from state ${this.current}: a component starts once`);
    this.current = 'starting';
    const { kind, startupTimeoutMs, log, fields } = this.options;
    log?.log('debug', `${capitalize(kind)} starting`, fields);
    const startup = this.instance.startup;
    try {
      if (typeof startup === 'function') {
        await withDeadline(Promise.resolve().then(() => startup.call(this.instance)), startupTimeoutMs,
          () => new StartupTimeoutError(this.name, kind, startupTimeoutMs));
      }
    } catch (e) {
      markFailureSite(e, { component: this.name, kind, stage: 'startup' });
      this.fail(asError(e, `${this.name}.startup()`));
      componentRuntime(this.instance).controller.abort(STOPPED);
      throw e;
    }
    this.startedUp = true;
    this.current = 'running';
    log?.log('debug', `${capitalize(kind)} started`, fields);
  }

  /** Marks the component failed (kept through the stop that follows). The first failure wins. */
  fail(error: Error): void {
    this.failure ??= error;
    if (this.current === 'starting' || this.current === 'running') this.current = 'failed';
  }

  /**
   * Stops the component: `drain` first (the owner's part, e.g. finishing workflows), then the
   * signal aborts, owned tasks and `run()` get `cancelTimeoutMs`, then `shutdown()` runs (only
   * after a successful startup) within `shutdownTimeoutMs`. Returns every error met; never throws.
   */
  stop(drain?: () => Promise<Error[]>): Promise<Error[]> {
    this.stopPromise ??= this.doStop(drain);
    return this.stopPromise;
  }

  private async doStop(drain?: () => Promise<Error[]>): Promise<Error[]> {
    const failed = this.current === 'failed';
    this.current = 'stopping';
    const { kind, cancelTimeoutMs, shutdownTimeoutMs, log, fields } = this.options;
    log?.log('debug', `${capitalize(kind)} stopping`, fields);
    const errors: Error[] = [];
    if (drain) errors.push(...(await drain().catch((e) => [asError(e, `${this.name} stop`)])));
    const rt = componentRuntime(this.instance);
    rt.controller.abort(STOPPED);
    // One deadline for both, counted from the abort: they were told to stop at the same moment.
    const [tasksSettled, runSettled] = await Promise.all([
      rt.tasks.size === 0 || settlesWithin(Promise.allSettled([...rt.tasks]), cancelTimeoutMs),
      !this.runTask || settlesWithin(this.runTask, cancelTimeoutMs),
    ]);
    if (!tasksSettled) {
      errors.push(new TasksAbandonedError(this.name, rt.tasks.size));
    }
    if (!runSettled) errors.push(new ShutdownTimeoutError(this.name, kind, cancelTimeoutMs, 'run'));
    const shutdown = this.instance.shutdown;
    if (this.startedUp && typeof shutdown === 'function') {
      try {
        await withDeadline(Promise.resolve().then(() => shutdown.call(this.instance)), shutdownTimeoutMs,
          () => new ShutdownTimeoutError(this.name, kind, shutdownTimeoutMs));
      } catch (e) {
        errors.push(asError(e, `${this.name}.shutdown()`));
        log?.log('error', `${capitalize(kind)} shutdown failed`, { ...fields, stage: 'shutdown', ...errorFields(e) });
      }
    }
    this.current = failed || this.failure ? 'failed' : 'stopped';
    log?.log('debug', `${capitalize(kind)} stopped`, fields);
    return errors;
  }

  /**
   * Starts the optional `run(signal)` hook under supervision: settling after the
   * signal aborted is a normal stop; settling before, by returning or rejecting, fails the
   * component and calls `onRunFailed`. Once only, after a successful {@link start}.
   */
  startRun(): void {
    const run = this.instance.run;
    if (typeof run !== 'function' || this.runTask || this.current !== 'running') return;
    const signal = componentRuntime(this.instance).controller.signal;
    const failed = (e: Error): void => {
      if (signal.aborted) return;
      markFailureSite(e, { component: this.name, kind: this.options.kind, stage: 'run' });
      this.fail(e);
      this.options.onRunFailed?.(e);
    };
    this.runTask = Promise.resolve()
      .then(() => run.call(this.instance, signal))
      .then(
        () => failed(new RunReturnedError(this.name)),
        (e) => failed(asError(e, `${this.name}.run()`)),
      );
  }
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}


/** Lifecycle options of a component run by the engine, from the runtime's resolved options. */
export function componentLifecycleOptions(
  services: { log: SafeLogger; options: { startupTimeoutMs: number; cancelTimeoutMs: number; shutdownTimeoutMs: number } },
  kind: ComponentKind, fields: Record<string, unknown>, onRunFailed?: (error: Error) => void,
): LifecycleOptions {
  const { startupTimeoutMs, cancelTimeoutMs, shutdownTimeoutMs } = services.options;
  return { kind, startupTimeoutMs, cancelTimeoutMs, shutdownTimeoutMs, log: services.log, fields, onRunFailed };
}
