/**
 * What `src/di` asks of this folder: checks that a class can be isolated, and a proxy in place
 * of an instance.
 */
import type { Resource } from '../core/components/resource';
import { InternalError, InvalidComponentError } from '../core/errors';
import type { IsolationOptions } from '../core/metadata';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { executionScope } from '../core/scope';
import { assertIsolatedDependencies, isolatedArguments, type Dependency } from './constructor-arguments';
import { hostEntry, hostEntryExists } from './host-process';
import { resolveIsolationOptions } from './isolation-options';
import { moduleFileOf } from './module-file';
import { createProxy } from './proxy';
import { Supervisor } from './supervisor';

export { supervisorOf } from './proxy';

/**
 * Refuses, before its dependencies start, an isolated class that cannot run: an in-process
 * resource among its constructor parameters, or no compiled host to run it in.
 * @throws InvalidComponentError naming the class and the fix.
 */
export function assertIsolatable(cls: Function, isolation: IsolationOptions, deps: Dependency[], isOverridden: (cls: Function) => boolean): void {
  assertIsolatedDependencies(cls, isolation.kind, deps, isOverridden);
  if (!hostEntryExists(isolation.kind)) {
    throw new InvalidComponentError(`Isolated resource ${cls.name} (${isolation.kind}): the host ${hostEntry(isolation.kind)} is missing. ` +
      'Isolated resources run from compiled JavaScript (a plain Node worker or child cannot load TypeScript sources): ' +
      'build with tsc and run the build, not the sources through ts-jest or ts-node.');
  }
}

/** What {@link createIsolatedResource} needs from the registry. */
export interface IsolatedResourceSpec {
  cls: Function;
  identity: string;
  isolation: IsolationOptions;
  deps: Dependency[];
  /** The value bound to a non-resource token in the container. */
  resolveToken: (token: unknown) => unknown;
  /** The running instance (a proxy) of a dependency resource class. */
  instanceOf: (cls: Function) => Resource;
  services: RuntimeServices;
}

/**
 * The proxy of an isolated resource, not started yet: its `startup()` starts the host.
 * @throws InvalidComponentError when a constructor argument is not plain data, or the class's file is unknown.
 */
export function createIsolatedResource(spec: IsolatedResourceSpec): Resource {
  const { cls, identity, services } = spec;
  const options = resolveIsolationOptions(spec.isolation);
  const args = isolatedArguments(cls, options.kind, spec.deps, spec.resolveToken);
  const byIndex = new Map(spec.deps.filter((d) => d.resource).map((d) => [d.index, spec.instanceOf(d.resource!)]));
  const nested = new Map<string, { callerKind: 'resource'; caller: string; orchestrationId: string }>();
  const supervisor = new Supervisor({
    className: cls.name, identity, moduleFile: moduleFileOf(cls), args, options,
    startupTimeoutMs: services.options.startupTimeoutMs, log: services.log,
    callDependency(index, method, callArgs, orchestrationId) {
      const target = byIndex.get(index) as unknown as Record<string, (...a: unknown[]) => Promise<unknown>> | undefined;
      if (typeof target?.[method] !== 'function') return Promise.reject(new InternalError(`${cls.name} parameter #${index} has no async method ${method}()`));
      let scope = nested.get(orchestrationId);
      if (!scope) nested.set(orchestrationId, (scope = { callerKind: 'resource', caller: identity, orchestrationId }));
      return executionScope.run(scope, () => target[method](...callArgs));
    },
  });
  return createProxy(cls, supervisor, services.options.shutdownTimeoutMs);
}
