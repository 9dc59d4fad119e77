import { classifyValue } from './persistable-value';
import type { DataClass } from './data-class';

/**
 * Where a resume gives class instances their class back (`rebuild`): below an instance of
 * `proto` rebuilt as such, each field in `fields` is rebuilt as an instance of that field's
 * shape's `proto`, because the default instance of the class holds one there. Everywhere else
 * (array elements, values inside plain objects, fields whose default is not an instance) values
 * come back as plain data.
 */
export interface RebuildShape {
  readonly proto: object;
  /** `null` when no field of the class defaults to a class instance. */
  readonly fields: ReadonlyMap<string, RebuildShape> | null;
}

/**
 * The {@link RebuildShape} of instances of `proto`, read from a default instance (`new
 * proto.constructor()`, once per prototype, as a resume would build it). A class that cannot be
 * constructed that way gets no rebuilt fields.
 */
export function rebuildShape(proto: object): RebuildShape {
  let shape = shapeCache.get(proto);
  if (shape !== undefined) return shape;
  const fields = new Map<string, RebuildShape>();
  shape = { proto, fields };
  shapeCache.set(proto, shape); // before the fields: a class may (indirectly) hold itself
  let instance: unknown;
  try {
    const ctor = (proto as { constructor?: unknown }).constructor;
    instance = typeof ctor === 'function' ? new (ctor as DataClass)() : undefined;
  } catch {
    instance = undefined;
  }
  if (instance !== null && typeof instance === 'object') {
    for (const key of Object.keys(instance)) {
      const def = (instance as Record<string, unknown>)[key];
      if (classifyValue(def) === 'instance') fields.set(key, rebuildShape(Object.getPrototypeOf(def) as object));
    }
  }
  if (fields.size === 0) {
    shape = { proto, fields: null };
    shapeCache.set(proto, shape);
  }
  return shape;
}

const shapeCache = new WeakMap<object, RebuildShape>();

/**
 * The {@link RebuildShape} of an event or context root: its class's, or `null` for a plain object
 * (rebuilt on its data class, whose shape is unknown here: nothing below it is taken as rebuilt).
 */
export function rootShape(root: object): RebuildShape | null {
  const proto = Object.getPrototypeOf(root) as object | null;
  return proto === null || proto === Object.prototype ? null : rebuildShape(proto);
}
