import type { Resource } from '../core/components/resource';
import { InvalidComponentError } from '../core/errors';
import type { IsolationKind, IsolationOptions } from '../core/metadata';
import { componentDecorator } from './component-decorator';

/** Options of `@resource`. */
export interface ResourceOptions {
  /** Durable identity: a canonical lowercase UUID. Default: the fallback address `file:Class`. */
  id?: string;
  /**
   * Runs the resource outside the runtime's thread: `'worker'` in a `worker_threads` Worker,
   * `'process'` in a child process. Its async methods are called through a proxy (arguments and
   * results cross by structured clone); a host that dies is restarted, and the calls it was
   * serving reject with the retryable `IsolatedResourceCrashedError`. The object form adds the
   * memory bound and the crash budget (see {@link IsolationOptions}). The class must be exported
   * from its module file, which the host loads; its constructor may take only other isolated
   * resources and plain data. Default: in process.
   */
  isolation?: IsolationKind | IsolationOptions;
}

const KINDS: readonly string[] = ['worker', 'process'];

/**
 * Declares a shared resource: one running instance per identity.
 * @throws InvalidComponentError when `id` is not a canonical lowercase UUID, when `isolation` is
 *   neither `'worker'` nor `'process'` (or a limit is not a positive number), or on a standard
 *   (TC39) decorator call (a project compiled without `experimentalDecorators` and `emitDecoratorMetadata`).
 */
export function resource(options: ResourceOptions = {}): <T extends abstract new (...args: any[]) => Resource>(target: T) => void {
  if (options.isolation === undefined) return componentDecorator('resource', { id: options.id });
  const isolation = typeof options.isolation === 'string' ? { kind: options.isolation } : { ...options.isolation };
  if (!KINDS.includes(isolation.kind)) {
    throw new InvalidComponentError(`@resource({ isolation }): expected 'worker' or 'process', got ${JSON.stringify(isolation.kind)}.`);
  }
  for (const key of ['maxMemoryMiB', 'maxCrashes', 'crashWindowMs', 'restartDelayMs', 'maxRestartDelayMs'] as const) {
    const value = isolation[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
      throw new InvalidComponentError(`@resource({ isolation: { ${key} } }): expected a positive number, got ${JSON.stringify(value)}.`);
    }
  }
  return componentDecorator('resource', { id: options.id, isolation: Object.freeze(isolation) });
}
