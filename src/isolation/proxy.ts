/**
 * The in-process stand-in of an isolated resource: a `Resource` whose async methods send the
 * call to the host, and whose `startup()`, `shutdown()` and `run()` drive the supervisor. The
 * runtime instruments and attributes its methods exactly as an in-process resource's.
 */
import { Resource } from '../core/components/resource';
import { InvalidComponentError } from '../core/errors';
import { componentRuntime } from '../core/components/component-base';
import { markUntracked } from '../core/metadata';
import { publicMethods } from '../core/resource-tracking';
import { executionScope } from '../core/scope';
import type { Supervisor } from './supervisor';

const SUPERVISOR = Symbol.for('minions.isolation.supervisor');

/** The supervisor behind an isolated resource's proxy, or undefined for any other object. */
export function supervisorOf(instance: object): Supervisor | undefined {
  return (instance as { [SUPERVISOR]?: Supervisor })[SUPERVISOR];
}

/**
 * A proxy class named after `cls`, bound to `supervisor`. Each async method of `cls` becomes an
 * async method that calls into the host (`@untracked` ones stay untracked); each synchronous
 * public method throws, since a call across the boundary cannot return synchronously.
 * @param shutdownTimeoutMs how long the host's `shutdown()` may take before the host is killed.
 */
export function createProxy(cls: Function, supervisor: Supervisor, shutdownTimeoutMs: number): Resource {
  const Proxy = class extends Resource {};
  Object.defineProperty(Proxy, 'name', { value: cls.name });
  const proto = Proxy.prototype as unknown as Record<string, unknown>;
  for (const m of publicMethods(cls)) {
    const name = m.name;
    if (m.async) {
      proto[name] = async function (...args: unknown[]): Promise<unknown> {
        return supervisor.call(name, args, executionScope.getStore()?.orchestrationId ?? '');
      };
      if (m.untracked) markUntracked(Proxy.prototype, name);
    } else {
      proto[name] = function (): never {
        throw new InvalidComponentError(`${cls.name}.${name}() is synchronous, and ${cls.name} is isolated: only its async methods can be called ` +
          'across the boundary. Declare it async.');
      };
    }
  }
  Object.assign(proto, {
    async startup(this: Resource): Promise<void> {
      // A failed or timed-out start aborts the component's signal: end the host with it.
      componentRuntime(this).controller.signal.addEventListener('abort', () => {
        if (supervisor.status === 'starting') supervisor.kill();
      }, { once: true });
      await supervisor.start();
    },
    async shutdown(): Promise<void> {
      await supervisor.stop(shutdownTimeoutMs);
    },
    /** Settles when the stop signal aborts, or rejects when the resource fails for good. */
    run(signal: AbortSignal): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        supervisor.onFailure(reject);
      });
    },
  });
  const instance = new Proxy();
  Object.defineProperty(instance, SUPERVISOR, { value: supervisor });
  return instance;
}
