import { ComponentBase } from './component-base';

/**
 * Base class of shared resources. One running instance per resource
 * identity, shared by every dependent; constructed by the runtime with its own dependencies
 * resolved from constructor parameter types.
 *
 * Every method declared `async` on subclasses is tracked (latency, serves, errors, caller),
 * except the hooks, names starting with `_`, and `@untracked` ones.
 */
export abstract class Resource extends ComponentBase {
  /** Opens clients. Dependencies are already started. */
  startup?(): Promise<void>;
  /**
   * Optional long-lived loop. Settling after `signal` aborted is a normal stop; settling
   * before is a failure that stops the dependent orchestrations.
   */
  run?(signal: AbortSignal): Promise<void>;
  /** Closes clients. Dependents have already stopped. */
  shutdown?(): Promise<void>;
}
