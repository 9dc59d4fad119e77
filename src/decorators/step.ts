import { InvalidComponentError, StepCalledFromStepError } from '../core/errors';
import { addStep, type StepRetryPolicy } from '../core/metadata';
import { executionScope } from '../core/scope';
import { refuseStandardDecorator } from './refuse-standard-decorator';

type AnyFn = (...args: unknown[]) => unknown;

/**
 * How a throwing step is tried again before its workflow fails (`@step({ retry })`). Delays in
 * milliseconds; the wait before try `n + 1` is `delayMs * multiplier^(n-1)`, capped at
 * `maxDelayMs`, spread by +/- `jitterRatio`. A stop cuts the wait short (the workflow is then
 * interrupted and resumes at this step). `AbortWorkflow` is never retried.
 */
export interface StepRetryOptions {
  /** Tries in all, the first included. Default 3. */
  attempts?: number;
  /** Wait before the second try, ms. Default 1000. */
  delayMs?: number;
  /** Growth of the wait per try. Default 2. */
  multiplier?: number;
  /** Cap of the wait, ms. Default 60000. */
  maxDelayMs?: number;
  /** Spread of each wait, a fraction. Default 0.1. */
  jitterRatio?: number;
  /** Which errors are worth another try. Default: every error but `AbortWorkflow`. */
  retryable?: (error: unknown) => boolean;
}

/** Options of `@step({ ... })`. */
export interface StepOptions {
  retry?: StepRetryOptions;
}

function resolveRetry(where: string, r: StepRetryOptions | undefined): StepRetryPolicy | undefined {
  if (r === undefined) return undefined;
  const bad = (field: string, expected: string): never => {
    throw new InvalidComponentError(`${where}: @step({ retry: { ${field} } }) must be ${expected}, got ${String((r as Record<string, unknown>)[field])}.`);
  };
  if (typeof r !== 'object' || r === null) throw new InvalidComponentError(`${where}: @step({ retry }) must be an object.`);
  const num = (field: keyof StepRetryOptions, def: number, ok: (n: number) => boolean, expected: string): number => {
    const v = r[field];
    if (v === undefined) return def;
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) bad(field, expected);
    return v as number;
  };
  if (r.retryable !== undefined && typeof r.retryable !== 'function') bad('retryable', 'a function (error) => boolean');
  return {
    attempts: num('attempts', 3, (n) => Number.isInteger(n) && n >= 1, 'an integer >= 1'),
    delayMs: num('delayMs', 1000, (n) => n >= 0, 'a number of milliseconds >= 0'),
    multiplier: num('multiplier', 2, (n) => n >= 1, 'a number >= 1'),
    maxDelayMs: num('maxDelayMs', 60_000, (n) => n >= 0, 'a number of milliseconds >= 0'),
    jitterRatio: num('jitterRatio', 0.1, (n) => n >= 0 && n <= 1, 'a fraction between 0 and 1'),
    retryable: r.retryable,
  };
}

function decorate(target: object, key: string | symbol, descriptor: PropertyDescriptor, options: StepOptions = {}): PropertyDescriptor {
  refuseStandardDecorator('@step', key);
  const fn = descriptor.value as AnyFn;
  if (typeof fn !== 'function') {
    throw new InvalidComponentError(`@step must decorate a method, but ${target.constructor.name}.${String(key)} is not one. Put @step on a method declaration.`);
  }
  const name = String(key);
  addStep(target, { name, fn, retry: resolveRetry(`${target.constructor.name}.${name}`, options.retry) });
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
 * Marks a minion method as a workflow step (`@step`, `@step()`, or `@step({ retry })` to try a
 * throwing step again with backoff before the workflow fails; see {@link StepRetryOptions}). Steps run in source order,
 * a base class's before the subclass's. A step calling another step is refused.
 * @throws InvalidComponentError on something that is not a method, or from a standard (TC39)
 *   decorator call (a project compiled without `experimentalDecorators`).
 * A step called from another step throws StepCalledFromStepError (and fails that workflow).
 */
export function step(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor;
export function step(options?: StepOptions): (target: object, key: string | symbol, descriptor: PropertyDescriptor) => PropertyDescriptor;
export function step(target?: object, key?: string | symbol, descriptor?: PropertyDescriptor): unknown {
  if (target === undefined) return decorate;
  if (key === undefined && descriptor === undefined && typeof target === 'object' && !('constructor' in target && Object.prototype.hasOwnProperty.call(target, 'constructor'))) {
    const options = target as StepOptions;
    return (t: object, k: string | symbol, d: PropertyDescriptor) => decorate(t, k, d, options);
  }
  return decorate(target, key!, descriptor!);
}
