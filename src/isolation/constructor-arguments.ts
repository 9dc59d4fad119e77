/**
 * What an isolated resource's constructor may take: other isolated resources (reached through
 * their proxies) and plain data (cloned into the host). Anything else is an in-process object
 * that cannot cross the boundary, refused at start.
 */
import { InvalidComponentError } from '../core/errors';
import { getComponentMeta, type IsolationKind } from '../core/metadata';
import type { WireArgument } from './protocol';
import { publicMethods } from '../core/resource-tracking';

/** One constructor parameter: its index, its token, and the resource class when the token is one. */
export interface Dependency {
  index: number;
  token: unknown;
  resource?: Function;
}

const WHERE: Record<IsolationKind, string> = { worker: 'a worker thread', process: 'a child process' };

/**
 * Refuses, before anything starts, a constructor parameter that is an in-process resource (or an
 * isolated one replaced by an in-process double through `modules`).
 * @throws InvalidComponentError naming the class, the parameter and the fix.
 */
export function assertIsolatedDependencies(cls: Function, kind: IsolationKind, deps: Dependency[], isOverridden: (cls: Function) => boolean): void {
  for (const d of deps) {
    if (!d.resource) continue;
    const isolated = getComponentMeta(d.resource)?.isolation !== undefined;
    if (isolated && !isOverridden(d.resource)) continue;
    const what = isolated ? `${d.resource.name} is bound by modules to an in-process object` : `${d.resource.name} is an in-process resource`;
    throw new InvalidComponentError(`Isolated resource ${cls.name} (${kind}) constructor parameter #${d.index}: ${what}, ` +
      `and an in-process object cannot cross the boundary to ${WHERE[kind]}. Isolate ${d.resource.name} too ` +
      `(@resource({ isolation: '${kind}' })), or pass plain config and build what ${cls.name} needs inside it.`);
  }
}

/**
 * The wire form of each constructor argument: a resource parameter as the methods of its proxy,
 * anything else resolved by `resolve(token)` and checked to be plain data.
 * @throws InvalidComponentError naming the class, the parameter and the offending value's type.
 */
export function isolatedArguments(cls: Function, kind: IsolationKind, deps: Dependency[], resolve: (token: unknown) => unknown): WireArgument[] {
  return deps.map((d): WireArgument => {
    if (d.resource) {
      return { kind: 'resource', index: d.index, className: d.resource.name, methods: publicMethods(d.resource).filter((m) => m.async).map((m) => m.name) };
    }
    let value: unknown;
    try {
      value = resolve(d.token);
    } catch (e) {
      throw new InvalidComponentError(`Isolated resource ${cls.name} (${kind}) constructor parameter #${d.index}: ` +
        `nothing usable is bound to ${describeToken(d.token)} (${(e as Error).message}).`, { cause: e });
    }
    const problem = notPlainData(value, '');
    if (problem !== undefined) {
      throw new InvalidComponentError(`Isolated resource ${cls.name} (${kind}) constructor parameter #${d.index} ` +
        `(${describeToken(d.token)}): ${problem} is an in-process object, and an in-process object cannot cross the boundary ` +
        `to ${WHERE[kind]}. Pass plain config (strings, numbers, booleans, null, arrays, plain objects, Dates) or another isolated resource.`);
    }
    return { kind: 'value', value };
  });
}

/** Where `value` stops being plain data (`'the value'`, `'field a.b'`), or undefined when it is plain. */
function notPlainData(value: unknown, at: string, depth = 0): string | undefined {
  const here = at === '' ? 'the value' : `field ${at}`;
  if (value === null || value === undefined) return undefined;
  const t = typeof value;
  if (t === 'string' || t === 'number' || t === 'boolean' || t === 'bigint') return undefined;
  if (t !== 'object' || depth > 32) return `${here} (${t === 'function' ? 'a function' : t})`;
  if (value instanceof Date) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = notPlainData(value[i], `${at}[${i}]`, depth + 1);
      if (p) return p;
    }
    return undefined;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return `${here} (an instance of ${(value as object).constructor?.name ?? 'a class'})`;
  for (const [k, v] of Object.entries(value as object)) {
    const p = notPlainData(v, at === '' ? k : `${at}.${k}`, depth + 1);
    if (p) return p;
  }
  return undefined;
}

function describeToken(token: unknown): string {
  if (typeof token === 'function') return token.name || 'an anonymous class';
  return typeof token === 'symbol' ? token.toString() : JSON.stringify(token);
}
