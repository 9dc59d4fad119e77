import { addStep } from '../core/metadata';
import { executionScope } from '../core/scope';

type AnyFn = (...args: unknown[]) => unknown;

function decorate(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor {
  const fn = descriptor.value as AnyFn;
  if (typeof fn !== 'function') throw new TypeError(`@step must decorate a method, got ${String(key)}`);
  const name = String(key);
  addStep(target, { name, fn });
  const className = target.constructor.name;
  // The runner calls `fn` directly; this guard only catches user code calling a step itself.
  const guarded = function (this: unknown, ...args: unknown[]) {
    const scope = executionScope.getStore();
    if (scope?.step !== undefined && scope.owner === this) {
      throw new Error(`${className}.${name} cannot be called from within step ${scope.step}: the runtime owns step order. Move shared code into a plain method.`);
    }
    return fn.apply(this, args);
  };
  Object.defineProperty(guarded, 'name', { value: name });
  return { ...descriptor, value: guarded };
}

/**
 * Marks a minion method as a workflow step (`@step` or `@step()`). Steps run in source order,
 * a base class's before the subclass's (SEMANTICS 4). A step calling another step is refused.
 */
export function step(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
export function step(): (target: object, key: string | symbol, descriptor: PropertyDescriptor) => PropertyDescriptor;
export function step(target?: object, key?: string | symbol, descriptor?: PropertyDescriptor): unknown {
  if (target === undefined) return decorate;
  return decorate(target, key!, descriptor!);
}
