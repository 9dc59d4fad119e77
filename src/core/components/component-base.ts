import { RunReturnedError, asError } from '../errors';

/** Private per-instance runtime state, kept under a symbol so user fields never collide with it. */
export const RUNTIME = Symbol.for('minions.componentRuntime');

/** Owned background work of one component instance (SEMANTICS 4, "Owned background work"). */
export interface ComponentRuntime {
  /** Aborted when the component stops. */
  readonly controller: AbortController;
  /** Spawned tasks still running. */
  readonly tasks: Set<Promise<void>>;
  /** Reports a spawned task's failure; replaced by the runtime with a logger-backed reporter. */
  onTaskError: (error: unknown) => void;
  /** The bound config of a minion (set before `startup()`). */
  config?: unknown;
  configBound: boolean;
}

/** The runtime state of a component instance, created on first use. */
export function componentRuntime(instance: object): ComponentRuntime {
  const bag = instance as { [RUNTIME]?: ComponentRuntime };
  let rt = bag[RUNTIME];
  if (!rt) {
    rt = {
      controller: new AbortController(),
      tasks: new Set(),
      onTaskError: (e) => process.stderr.write(`[minions] spawned task failed: ${String((e as Error)?.stack ?? e)}\n`),
      configBound: false,
    };
    Object.defineProperty(instance, RUNTIME, { value: rt, enumerable: false, configurable: true });
  }
  return rt;
}

/**
 * Shared base of `Minion`, `Pipeline` and `Resource`: owned background work.
 */
export abstract class ComponentBase {
  /**
   * Starts owned background work (the reference's `safe_create_task`). `fn` receives the
   * component's stop signal; its failure is logged, never thrown; it is aborted and awaited
   * when the component stops (up to the stop timeouts).
   */
  spawn(fn: (signal: AbortSignal) => Promise<void>): void {
    const rt = componentRuntime(this);
    const task: Promise<void> = Promise.resolve()
      .then(() => fn(rt.controller.signal))
      .catch((e) => rt.onTaskError(e))
      .finally(() => rt.tasks.delete(task));
    rt.tasks.add(task);
  }
}

/** One shared reason: `abort()` without one builds a DOMException with a stack trace each time. */
const STOPPED = new DOMException('The component is stopping', 'AbortError');

/** Aborts a component's spawned work and waits (at most `timeoutMs`) for it to settle. */
export async function stopOwnedTasks(instance: object, timeoutMs: number): Promise<number> {
  const rt = componentRuntime(instance);
  rt.controller.abort(STOPPED);
  if (rt.tasks.size === 0) return 0;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => { timer = setTimeout(() => r('timeout'), timeoutMs); });
  await Promise.race([Promise.allSettled([...rt.tasks]), timedOut]);
  clearTimeout(timer);
  return rt.tasks.size;
}

/**
 * Runs a component's optional `run(signal)` hook (SEMANTICS 7): settling after the component's
 * stop signal aborted is a normal stop; settling before, by returning or rejecting, is a
 * failure reported through `onFailed`. Returns the settled run, or undefined without a hook.
 */
export function superviseRun(instance: { run?(signal: AbortSignal): Promise<void> }, onFailed: (error: Error) => void): Promise<void> | undefined {
  if (typeof instance.run !== 'function') return undefined;
  const signal = componentRuntime(instance).controller.signal;
  return Promise.resolve()
    .then(() => instance.run!(signal))
    .then(
      () => { if (!signal.aborted) onFailed(new RunReturnedError(instance.constructor.name)); },
      (e) => { if (!signal.aborted) onFailed(asError(e, `${instance.constructor.name}.run()`)); },
    );
}
