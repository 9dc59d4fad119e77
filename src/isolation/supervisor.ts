/**
 * Supervision of one isolated resource's host: starts it (load, construct, `startup()`), routes
 * calls to it, and when it dies unasked rejects the calls in flight with the retryable
 * `IsolatedResourceCrashedError` and starts a new one after a capped backoff. Past `maxCrashes`
 * within `crashWindowMs` it gives up: the resource fails and its dependents stop. A child over
 * its `maxMemoryMiB` (reported RSS) is killed, which counts as a crash.
 */
import { IsolatedResourceCrashedError, RunReturnedError, ShutdownTimeoutError, StartupTimeoutError } from '../core/errors';
import { withDeadline } from '../core/lifecycle/with-deadline';
import { backoffDelayMs, sleep } from '../core/runtime/backoff';
import type { SafeLogger } from '../core/runtime/safe-logger';
import { fromWireError, toWireError } from './error-transport';
import { spawnHost, type HostExit, type HostProcess } from './host-process';
import { RSS_INTERVAL_MS, type ResolvedIsolation } from './isolation-options';
import type { FromHost, WireArgument } from './protocol';

/** What a supervisor hosts and how it reports. */
export interface SupervisorSpec {
  className: string;
  identity: string;
  moduleFile: string;
  args: WireArgument[];
  options: ResolvedIsolation;
  /** Deadline of each restart's `startup()` in the host, ms (the first one is the lifecycle's). */
  startupTimeoutMs: number;
  log: SafeLogger;
  /** A call of the host on one of its isolated dependencies (constructor parameter `index`). */
  callDependency(index: number, method: string, args: unknown[], orchestrationId: string): Promise<unknown>;
}

interface Pending { resolve: (v: unknown) => void; reject: (e: Error) => void; method: string }

/** One launched host and what it is serving. */
interface Generation {
  host: HostProcess;
  pending: Map<number, Pending>;
  /** Set when the runtime ended it on purpose (memory bound), for the crash error. */
  reason?: string;
  ready: Promise<void>;
  exited: Promise<HostExit>;
  stopped?: (error: Error | undefined) => void;
}

/** Where the supervised resource is. */
export type SupervisorState = 'idle' | 'starting' | 'up' | 'restarting' | 'stopping' | 'stopped' | 'failed';

export class Supervisor {
  private state: SupervisorState = 'idle';
  private current?: Generation;
  private nextCall = 0;
  private crashes: number[] = [];
  /** Resolves when a host is up again; calls made while restarting wait on it. */
  private up: Promise<void> = Promise.resolve();
  private markUp: () => void = () => undefined;
  private failUp: (e: Error) => void = () => undefined;
  private readonly stopRestarts = new AbortController();
  private failure?: Error;
  private readonly failureListeners = new Set<(e: Error) => void>();

  constructor(private readonly spec: SupervisorSpec) {}

  get status(): SupervisorState { return this.state; }

  /** Crashes counted within the current window. */
  get recentCrashes(): number { return this.pruneCrashes(); }

  /** Calls `listener` once if the resource fails (crash budget spent, or its `run()` ended). */
  onFailure(listener: (e: Error) => void): void {
    if (this.failure) listener(this.failure);
    else this.failureListeners.add(listener);
  }

  /**
   * Starts the first host and waits for its `startup()`.
   * @throws the error of loading, constructing or `startup()` in the host, rebuilt.
   */
  async start(): Promise<void> {
    this.state = 'starting';
    const generation = this.launch();
    try {
      await generation.ready;
    } catch (e) {
      this.state = 'failed';
      generation.host.kill();
      throw e;
    }
    if (this.state === 'starting') this.state = 'up';
  }

  /** Calls `method` in the host; waits while a crashed host restarts. */
  async call(method: string, args: unknown[], orchestrationId: string): Promise<unknown> {
    if (this.state === 'restarting') await this.up;
    if (this.failure) throw this.failure;
    const generation = this.current;
    if (!generation || this.state !== 'up') throw new IsolatedResourceCrashedError(this.spec.className, { ...this.who(), method, reason: `the resource is ${this.state}` });
    const id = ++this.nextCall;
    return new Promise((resolve, reject) => {
      generation.pending.set(id, { resolve, reject, method });
      try {
        generation.host.send({ type: 'call', id, method, args, orchestrationId });
      } catch (e) {
        generation.pending.delete(id);
        reject(e);
      }
    });
  }

  /**
   * Runs `shutdown()` in the host and waits for it to exit; past `timeoutMs` kills it.
   * @throws ShutdownTimeoutError past the deadline; the error of the class's `shutdown()`.
   */
  async stop(timeoutMs: number): Promise<void> {
    const previous = this.state;
    this.state = 'stopping';
    this.stopRestarts.abort();
    this.failUp(new IsolatedResourceCrashedError(this.spec.className, { ...this.who(), reason: 'the resource is stopping' }));
    const generation = this.current;
    if (!generation || previous === 'failed' || previous === 'stopped') { this.state = 'stopped'; return; }
    const stopped = new Promise<Error | undefined>((resolve) => { generation.stopped = resolve; });
    try {
      generation.host.send({ type: 'shutdown' });
      const error = await withDeadline(Promise.race([stopped, generation.exited.then(() => undefined)]), timeoutMs,
        () => new ShutdownTimeoutError(this.spec.className, 'resource', timeoutMs));
      await withDeadline(generation.exited, timeoutMs, () => new ShutdownTimeoutError(this.spec.className, 'resource', timeoutMs));
      if (error) throw error;
    } catch (e) {
      generation.host.kill();
      throw e;
    } finally {
      this.state = 'stopped';
    }
  }

  /** Ends the host at once, without restart (a failed or timed-out start). */
  kill(): void {
    this.state = this.state === 'stopped' ? 'stopped' : 'failed';
    this.stopRestarts.abort();
    this.current?.host.kill();
  }

  private who() {
    return { isolation: this.spec.options.kind, identity: this.spec.identity };
  }

  private launch(): Generation {
    const { options } = this.spec;
    let resolveReady!: () => void;
    let rejectReady!: (e: Error) => void;
    let resolveExit!: (x: HostExit) => void;
    const ready = new Promise<void>((res, rej) => { resolveReady = res; rejectReady = rej; });
    ready.catch(() => undefined);
    const exited = new Promise<HostExit>((res) => { resolveExit = res; });
    const generation: Generation = { host: undefined as never, pending: new Map(), ready, exited };
    const onMessage = (m: FromHost): void => this.onMessage(generation, m, resolveReady, rejectReady);
    const onExit = (exit: HostExit): void => {
      resolveExit(exit);
      rejectReady(this.crashError(generation, exit, undefined));
      this.onExit(generation, exit);
    };
    generation.host = spawnHost(options.kind, options.maxMemoryMiB, onMessage, onExit);
    this.current = generation;
    const rssIntervalMs = options.kind === 'process' && options.maxMemoryMiB ? RSS_INTERVAL_MS : undefined;
    generation.host.send({ type: 'init', moduleFile: this.spec.moduleFile, className: this.spec.className, args: this.spec.args, rssIntervalMs });
    return generation;
  }

  private onMessage(generation: Generation, m: FromHost, ready: () => void, initFailed: (e: Error) => void): void {
    switch (m.type) {
      case 'ready': ready(); break;
      case 'init-failed': initFailed(fromWireError(m.error)); break;
      case 'result': {
        const pending = generation.pending.get(m.id);
        generation.pending.delete(m.id);
        if (m.ok) pending?.resolve(m.value); else pending?.reject(fromWireError(m.error));
        break;
      }
      case 'dep-call':
        void this.spec.callDependency(m.index, m.method, m.args, m.orchestrationId).then(
          (value) => generation.host.send({ type: 'dep-result', id: m.id, ok: true, value }),
          (e: unknown) => generation.host.send({ type: 'dep-result', id: m.id, ok: false, error: toWireError(e) }),
        ).catch((e: unknown) => { // the value could not be cloned, or the host is gone
          try { generation.host.send({ type: 'dep-result', id: m.id, ok: false, error: toWireError(e) }); } catch { /* host gone */ }
        });
        break;
      case 'run-ended':
        this.fail(m.error ? fromWireError(m.error) : new RunReturnedError(this.spec.className));
        break;
      case 'rss': {
        const limit = this.spec.options.maxMemoryMiB;
        if (limit && m.bytes > limit * 1024 * 1024 && generation.reason === undefined) {
          generation.reason = `resident set ${Math.round(m.bytes / 1048576)} MiB over maxMemoryMiB ${limit}`;
          this.spec.log.log('warn', 'Isolated resource over its memory bound, killed', { resource_id: this.spec.identity, resource_class: this.spec.className, rss_bytes: m.bytes, max_memory_mib: limit });
          generation.host.kill();
        }
        break;
      }
      case 'stopped': generation.stopped?.(m.error ? fromWireError(m.error) : undefined); break;
    }
  }

  private crashError(generation: Generation, exit: HostExit, method: string | undefined, gaveUp = false): IsolatedResourceCrashedError {
    let reason = generation.reason;
    if (!reason && exit.error) {
      const code = (exit.error as { code?: string }).code;
      reason = code === 'ERR_WORKER_OUT_OF_MEMORY' ? `heap over maxMemoryMiB ${this.spec.options.maxMemoryMiB} (${code})` : `uncaught ${exit.error.name}: ${exit.error.message}`;
    }
    return new IsolatedResourceCrashedError(this.spec.className, { ...this.who(), exitCode: exit.exitCode, signal: exit.signal, reason, method, gaveUp });
  }

  private onExit(generation: Generation, exit: HostExit): void {
    for (const [, p] of generation.pending) p.reject(this.crashError(generation, exit, p.method));
    generation.pending.clear();
    if (generation !== this.current || this.state === 'stopping' || this.state === 'stopped' || this.state === 'failed' || this.state === 'starting') return;
    const fields = { resource_id: this.spec.identity, resource_class: this.spec.className, isolation: this.spec.options.kind, exit_code: exit.exitCode, signal: exit.signal };
    const crashes = (this.crashes.push(Date.now()), this.pruneCrashes());
    if (crashes >= this.spec.options.maxCrashes) {
      this.spec.log.log('error', 'Isolated resource crashed too often, giving up', { ...fields, crashes, crash_window_ms: this.spec.options.crashWindowMs });
      this.fail(this.crashError(generation, exit, undefined, true));
      return;
    }
    this.spec.log.log('error', 'Isolated resource crashed, restarting', { ...fields, crashes, reason: this.crashError(generation, exit, undefined).reason });
    if (this.state === 'up') {
      this.state = 'restarting';
      this.up = new Promise<void>((res, rej) => { this.markUp = res; this.failUp = rej; });
      this.up.catch(() => undefined);
    }
    void this.restart(crashes);
  }

  private async restart(attempt: number): Promise<void> {
    const { restartDelayMs, maxRestartDelayMs } = this.spec.options;
    const waited = await sleep(backoffDelayMs(attempt, { delayMs: restartDelayMs, multiplier: 2, maxDelayMs: maxRestartDelayMs, jitterRatio: 0.1 }), this.stopRestarts.signal);
    if (!waited || this.state !== 'restarting') return;
    const generation = this.launch();
    try {
      await withDeadline(generation.ready, this.spec.startupTimeoutMs,
        () => new StartupTimeoutError(this.spec.className, 'resource', this.spec.startupTimeoutMs));
    } catch (e) {
      // Its exit (now, or after the kill) counts as the next crash and schedules the next restart.
      if (!(e instanceof IsolatedResourceCrashedError)) {
        this.spec.log.log('error', 'Isolated resource failed to start again', { resource_id: this.spec.identity, resource_class: this.spec.className, error_message: (e as Error).message });
      }
      generation.host.kill();
      return;
    }
    if (this.state !== 'restarting' || generation !== this.current) return;
    this.state = 'up';
    this.spec.log.log('info', 'Isolated resource restarted', { resource_id: this.spec.identity, resource_class: this.spec.className });
    this.markUp();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.state = 'failed';
    this.stopRestarts.abort();
    this.failUp(error);
    this.current?.host.kill();
    for (const listener of this.failureListeners) listener(error);
    this.failureListeners.clear();
  }

  private pruneCrashes(): number {
    const since = Date.now() - this.spec.options.crashWindowMs;
    this.crashes = this.crashes.filter((t) => t >= since);
    return this.crashes.length;
  }
}
