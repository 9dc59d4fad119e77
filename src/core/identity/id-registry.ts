/**
 * The process-wide registry of explicit component ids: which
 * loaded classes claim which `(kind, id)`. Decorators record; `startOrchestration` checks.
 *
 * The registry lives on `globalThis` under `Symbol.for('minions.componentIds')`, so every loaded
 * copy of the package (two versions in `node_modules`, a bundled and an installed copy) shares
 * it. Its shape is therefore kept plain and versioned by the symbol name: a `Map` from
 * `'<kind>\0<id>'` to a list of claims `{ address, ref }`.
 */
import { InvalidComponentError } from '../errors';
import type { ComponentKind } from '../metadata';

/** One class claiming an id: where it was decorated, and the class while it is alive. */
interface Claim {
  /** The fallback address of the claiming class (`src/app/watcher.ts:Watcher`). */
  address: string;
  /** Weak, so that classes dropped by a module reset do not pin memory. */
  ref: WeakRef<Function>;
}

type Registry = Map<string, Claim[]>;

const SLOT = Symbol.for('minions.componentIds');

function registry(): Registry {
  const g = globalThis as { [SLOT]?: Registry };
  g[SLOT] ??= new Map();
  return g[SLOT];
}

const keyOf = (kind: ComponentKind, id: string): string => `${kind}\0${id}`;

/**
 * Records that `cls`, decorated at `address`, claims `(kind, id)`. Called by `@minion`,
 * `@pipeline` and `@resource` when given an `id`. Never throws: a conflict is reported when a
 * start uses one of the classes ({@link assertUniqueComponentId}), since decorators throw only
 * for malformed arguments.
 *
 * A claim from the same address replaces the previous one: separate loads of one module (a
 * re-import, a jest module reset) are the same component, not duplicates.
 *
 * @param kind the component kind.
 * @param id the canonical UUID given to the decorator.
 * @param cls the decorated class.
 * @param address the class's fallback address, `<file>:<ClassName>`.
 */
export function registerComponentId(kind: ComponentKind, id: string, cls: Function, address: string): void {
  const map = registry();
  const key = keyOf(kind, id);
  const claims = (map.get(key) ?? []).filter((c) => c.address !== address && c.ref.deref() !== undefined);
  claims.push({ address, ref: new WeakRef(cls) });
  map.set(key, claims);
}

/**
 * The other live classes claiming `(kind, id)` from a different address than `address`, as
 * `{ address, cls }`, in the order they were decorated. Empty when the id is unique.
 *
 * @param kind the component kind.
 * @param id the id to look up.
 * @param address the fallback address of the class asking (its own claims are left out).
 */
export function otherClaims(kind: ComponentKind, id: string, address: string): Array<{ address: string; cls: Function }> {
  const out: Array<{ address: string; cls: Function }> = [];
  for (const claim of registry().get(keyOf(kind, id)) ?? []) {
    const cls = claim.ref.deref();
    if (cls !== undefined && claim.address !== address) out.push({ address: claim.address, cls });
  }
  return out;
}

/**
 * Refuses a class whose explicit id is also claimed by another loaded class of the same kind. Classes without an explicit id pass (their fallback address is checked when
 * they run). The same id on different kinds is allowed.
 *
 * @param kind the component kind.
 * @param id the class's explicit id, or `undefined`.
 * @param address the class's fallback address.
 * @throws InvalidComponentError naming both classes by address and the id, advising a fresh id
 *   (e.g. `@minion id 1111...: claimed by both src/a.ts:A and src/b.ts:B. ...`).
 */
export function assertUniqueComponentId(kind: ComponentKind, id: string | undefined, address: string): void {
  if (id === undefined) return;
  const others = otherClaims(kind, id, address);
  if (others.length === 0) return;
  const names = [address, ...others.map((o) => o.address)];
  throw new InvalidComponentError(
    `Duplicate @${kind} id ${id}: claimed by both ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}. ` +
      `Each ${kind} class needs its own id: keep the id on the class whose saved workflows it names, and give the other a new one ` +
      `(remove its id and run \`minions stamp ids <file>\`, or use crypto.randomUUID()).`,
  );
}
