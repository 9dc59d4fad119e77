import { ResourceCycleError } from '../core/errors';
import { resourceDependencies } from './constructor-dependencies';

/**
 * Every resource class reachable from `roots` (their constructor dependencies, transitively),
 * dependencies before dependents.
 * `isOverridden` classes are bound by the user (a test double): their own dependencies are not followed.
 * @throws ResourceCycleError naming the whole path (A -> B -> A) when resources form a cycle.
 * @throws InvalidComponentError when a constructor lacks type metadata.
 */
export function resourceClosure(roots: Function[], isOverridden: (cls: Function) => boolean = () => false): Function[] {
  const order: Function[] = [];
  const done = new Set<Function>();
  const path: Function[] = [];
  const visit = (cls: Function): void => {
    if (done.has(cls)) return;
    const at = path.indexOf(cls);
    if (at >= 0) throw new ResourceCycleError([...path.slice(at), cls].map((c) => c.name));
    path.push(cls);
    if (!isOverridden(cls)) for (const dep of resourceDependencies(cls)) visit(dep);
    path.pop();
    done.add(cls);
    order.push(cls);
  };
  for (const root of roots) for (const dep of resourceDependencies(root)) visit(dep);
  return order;
}
