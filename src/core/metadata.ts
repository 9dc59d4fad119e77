/**
 * Metadata the decorators write and the runtime reads. Stored on the class itself under
 * symbols (never inherited by lookup, except steps, which are collected along the chain).
 */

/** The three component kinds. */
export type ComponentKind = 'minion' | 'pipeline' | 'resource';

/** Constructible with no arguments: event, context and config classes. */
export type DataClass<T = unknown> = new () => T;

/** What `@minion`, `@pipeline` and `@resource` record on a class. */
export interface ComponentMeta {
  kind: ComponentKind;
  /** Explicit canonical UUID from the decorator, if given. */
  id?: string;
  /** `<relative file>:<ClassName>` where the decorator ran, or `<unknown>:<ClassName>`. */
  fallbackAddress: string;
  event?: DataClass;
  context?: DataClass;
  config?: DataClass;
  /** `@resource({ isolation })`: where the resource runs, and how it is supervised there. */
  isolation?: IsolationOptions;
  /** Absolute file where the decorator ran: the module an isolated resource's host loads. */
  moduleFile?: string;
}

/** Where an isolated resource runs: a worker thread or a child process. */
export type IsolationKind = 'worker' | 'process';

/**
 * `@resource({ isolation })` in its object form: the kind plus supervision and memory limits.
 * Defaults are applied where the resource starts (see `resolveIsolationOptions` in src/isolation).
 */
export interface IsolationOptions {
  /** `'worker'`: a `worker_threads` Worker; `'process'`: a child process (`child_process.fork`). */
  kind: IsolationKind;
  /**
   * Memory bound of the host, MiB. Worker: the V8 heap limit (`resourceLimits.maxOldGenerationSizeMb`).
   * Process: the resident set size, watched by the parent; past it the child is killed and restarted.
   * Default: none (Node's own heap limit).
   */
  maxMemoryMiB?: number;
  /** Crashes within `crashWindowMs` that fail the resource (its dependents stop). Default 5. */
  maxCrashes?: number;
  /** Window of `maxCrashes`, milliseconds. Default 60,000. */
  crashWindowMs?: number;
  /** Wait before the first restart, milliseconds; doubles per crash in the window. Default 100. */
  restartDelayMs?: number;
  /** Cap of the wait between restarts, milliseconds. Default 10,000. */
  maxRestartDelayMs?: number;
}

const COMPONENT = Symbol.for('minions.component');
const STEPS = Symbol.for('minions.steps');
const UNTRACKED = Symbol.for('minions.untracked');
const INJECTS = Symbol.for('minions.injects');

type Bag = Record<symbol, unknown>;
const own = <T>(target: object, key: symbol): T | undefined =>
  Object.prototype.hasOwnProperty.call(target, key) ? ((target as Bag)[key] as T) : undefined;
const define = (target: object, key: symbol, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: false, configurable: true, writable: true });
};

/** Records what a component decorator declared, on the class itself. */
export function setComponentMeta(cls: Function, meta: ComponentMeta): void {
  define(cls, COMPONENT, meta);
}

/** The component metadata recorded on `cls` itself, or undefined when it was not decorated. */
export function getComponentMeta(cls: Function): ComponentMeta | undefined {
  return own<ComponentMeta>(cls, COMPONENT);
}

/** The component identity: the explicit id, else the fallback address. */
export function componentIdentity(cls: Function): string {
  const meta = getComponentMeta(cls);
  return meta ? (meta.id ?? meta.fallbackAddress) : `<undecorated>:${cls.name}`;
}

/** One `@step` method as recorded. `fn` is the user's original function. */
export interface StepMeta {
  name: string;
  fn: (...args: unknown[]) => unknown;
  /** `@step({ retry })`: how a throwing step is tried again before the workflow fails. */
  retry?: StepRetryPolicy;
}

/** A step's retry policy, resolved (see `StepRetryOptions` for the defaults). */
export interface StepRetryPolicy {
  /** Tries in all, the first included (>= 1). */
  attempts: number;
  delayMs: number;
  multiplier: number;
  maxDelayMs: number;
  jitterRatio: number;
  /** Which errors are worth another try; `AbortWorkflow` never is. */
  retryable?: (error: unknown) => boolean;
}

/** Appends a `@step` to its class's own list (decorators run in source order). */
export function addStep(prototype: object, step: StepMeta): void {
  const list = own<StepMeta[]>(prototype, STEPS) ?? [];
  list.push(step);
  define(prototype, STEPS, list);
}

/**
 * Steps of a class in run order: a base class's before the subclass's, each in source order.
 * A subclass overriding a step method keeps the base position but runs the override.
 */
export function collectSteps(cls: Function): StepMeta[] {
  const chain: object[] = [];
  for (let p = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) chain.unshift(p);
  const order: string[] = [];
  const byName = new Map<string, StepMeta>();
  for (const proto of chain) {
    for (const s of own<StepMeta[]>(proto, STEPS) ?? []) {
      if (!byName.has(s.name)) order.push(s.name);
      byName.set(s.name, s);
    }
  }
  return order.map((n) => byName.get(n)!);
}

/** Marks a resource method as `@untracked`. */
export function markUntracked(prototype: object, name: string): void {
  const set = own<Set<string>>(prototype, UNTRACKED) ?? new Set<string>();
  set.add(name);
  define(prototype, UNTRACKED, set);
}

/** True when `@untracked` marked this method on this very prototype. */
export function isUntracked(prototype: object, name: string): boolean {
  return own<Set<string>>(prototype, UNTRACKED)?.has(name) ?? false;
}

/** Explicit `@inject` tokens by constructor parameter index (a thunk when a forward reference). */
export function recordInject(cls: Function, index: number, token: unknown): void {
  const map = own<Map<number, unknown>>(cls, INJECTS) ?? new Map<number, unknown>();
  map.set(index, token);
  define(cls, INJECTS, map);
}

/** The `@inject` tokens recorded on a class, by constructor parameter index (empty when none). */
export function getInjects(cls: Function): Map<number, unknown> {
  return own<Map<number, unknown>>(cls, INJECTS) ?? new Map();
}
