/** Private per-instance runtime state, kept under a symbol so user fields never collide with it. */
export const RUNTIME = Symbol.for('minions.componentRuntime');

/** Owned background work of one component instance. */
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
   * Starts owned background work (the Python framework's `safe_create_task`). `fn` receives the
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
