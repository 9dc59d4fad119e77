import { InvalidComponentError, StepCalledFromStepError } from '../core/errors';
import { addStep } from '../core/metadata';
import { executionScope } from '../core/scope';
import { refuseStandardDecorator } from './refuse-standard-decorator';

type AnyFn = (...args: unknown[]) => unknown;

function decorate(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor {
  refuseStandardDecorator('@step', key);
  const fn = descriptor.value as AnyFn;
  if (typeof fn !== 'function') {
    throw new InvalidComponentError(`@step must decorate a method, but ${target.constructor.name}.${String(key)} is not one. Put @step on a method declaration.`);
  }
  const name = String(key);
  addStep(target, { name, fn });
  const className = target.constructor.name;
  // The runner calls `fn` directly; this guard only catches user code calling a step itself.
  const guarded = function (this: unknown, ...args: unknown[]) {
    const scope = executionScope.getStore();
    if (scope?.step !== undefined && scope.owner === this) {
      throw new StepCalledFromStepError(className, name, scope.step);
    }
    return fn.apply(this, args);
  };
  Object.defineProperty(guarded, 'name', { value: name });
  return { ...descriptor, value: guarded };
}

/**
 * Marks a minion method as a workflow step (`@step` or `@step()`). Steps run in source order,
 * a base class's before the subclass's (SEMANTICS 4). A step calling another step is refused.
 * @throws InvalidComponentError on something that is not a method, or from a standard (TC39)
 *   decorator call (a project compiled without `experimentalDecorators`).
 * A step called from another step throws StepCalledFromStepError (and fails that workflow).
 */
export function step(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
export function step(): (target: object, key: string | symbol, descriptor: PropertyDescriptor) => PropertyDescriptor;
export function step(target?: object, key?: string | symbol, descriptor?: PropertyDescriptor): unknown {
  if (target === undefined) return decorate;
  return decorate(target, key!, descriptor!);
}
