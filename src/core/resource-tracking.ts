import { Resource } from './components/resource';
import { isUntracked } from './metadata';
import { errorFields } from './runtime/safe-logger';
import type { RuntimeServices } from './runtime/runtime-services';
import { executionScope, type ExecutionScope } from './scope';

const HOOKS = new Set(['constructor', 'startup', 'run', 'shutdown', 'spawn']);
const AsyncFunction = (async () => undefined).constructor;

/** Names of the tracked methods of a resource class: declared `async`, public, not hooks, not `@untracked`. */
export function trackedMethodNames(cls: Function): string[] {
  return publicMethods(cls).filter((m) => m.async && !m.untracked).map((m) => m.name);
}

/** A public method of a resource class (not a hook, not `_`-prefixed), nearest declaration first. */
export interface PublicMethod {
  name: string;
  /** Declared `async`. */
  async: boolean;
  /** Marked `@untracked`. */
  untracked: boolean;
}

/** The public methods of a resource class along its prototype chain, up to `Resource`. */
export function publicMethods(cls: Function): PublicMethod[] {
  const methods: PublicMethod[] = [];
  const seen = new Set<string>();
  for (let proto = cls.prototype; proto && proto !== Resource.prototype && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (seen.has(name)) continue;
      seen.add(name);
      if (HOOKS.has(name) || name.startsWith('_')) continue;
      const d = Object.getOwnPropertyDescriptor(proto, name);
      if (!d || typeof d.value !== 'function') continue;
      methods.push({ name, async: d.value instanceof AsyncFunction, untracked: isUntracked(proto, name) });
    }
  }
  return methods;
}

/**
 * Replaces each tracked method on the instance with a wrapper that records latency, serves
 * and errors with the immediate caller read from the execution scope, and runs the method
 * with the resource itself as caller for nested calls. Errors reach the caller unchanged.
 */
export function instrumentResource(instance: Resource, identity: string, services: RuntimeServices): void {
  // Scope of the calls this resource makes (nested resource calls see it as their caller), one
  // per orchestration: built once, never per call.
  const innerScopes = new Map<string, ExecutionScope>();
  const innerScope = (orchestrationId: string): ExecutionScope => {
    let inner = innerScopes.get(orchestrationId);
    if (inner === undefined) {
      inner = { callerKind: 'resource', caller: identity, orchestrationId };
      innerScopes.set(orchestrationId, inner);
    }
    return inner;
  };
  for (const method of trackedMethodNames(instance.constructor)) {
    const original = (instance as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method];
    // Label objects per (caller kind, caller, orchestration), found by nested map lookups on the
    // scope's strings: no key string is built per call.
    const labelCache = new Map<string, Map<string, Map<string, Record<string, string>>>>();
    const labelsFor = (kind: string, caller: string, orchestrationId: string): Record<string, string> => {
      let byCaller = labelCache.get(kind);
      if (byCaller === undefined) labelCache.set(kind, (byCaller = new Map()));
      let byOrchestration = byCaller.get(caller);
      if (byOrchestration === undefined) byCaller.set(caller, (byOrchestration = new Map()));
      let labels = byOrchestration.get(orchestrationId);
      if (labels === undefined) {
        labels = { resource: identity, resource_method: method, resource_caller_kind: kind, resource_caller: caller, orchestration_id: orchestrationId };
        byOrchestration.set(orchestrationId, labels);
      }
      return labels;
    };
    const wrapper = async function (this: unknown, ...args: unknown[]): Promise<unknown> {
      const outer = executionScope.getStore();
      const orchestrationId = outer?.orchestrationId ?? '';
      const labels = outer === undefined ? labelsFor('unknown', '', '') : labelsFor(outer.callerKind, outer.caller, orchestrationId);
      const t0 = performance.now();
      try {
        const result = await executionScope.run(innerScope(orchestrationId), Reflect.apply, original, this, args) as unknown;
        services.metrics.observe('resource_latency_seconds', labels, (performance.now() - t0) / 1000);
        services.metrics.inc('resource_serves_total', labels);
        return result;
      } catch (e) {
        services.metrics.inc('resource_error_total', { ...labels, error_type: (e as Error)?.name ?? typeof e });
        // A failing dependency fails every call: one line per method and cause at a bounded rate, with a count.
        services.log.logRepeated(`resource:${identity}:${method}:${(e as Error)?.message}`, 'warn', 'Resource method failed', {
          resource_id: identity, resource_method: method, orchestration_id: orchestrationId,
          args: args.map(describeArg), ...errorFields(e),
        });
        throw e;
      }
    };
    Object.defineProperty(wrapper, 'name', { value: method });
    Object.defineProperty(instance, method, { value: wrapper, configurable: true, writable: true, enumerable: false });
  }
}

/** Arguments are logged by type only, never by value. */
function describeArg(a: unknown): string {
  if (a === null) return 'null';
  if (Array.isArray(a)) return 'Array';
  if (typeof a === 'object') return (a as object).constructor?.name ?? 'Object';
  return typeof a;
}
