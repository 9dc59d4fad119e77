import * as path from 'node:path';
import { Minion } from '../core/components/minion';
import { Pipeline } from '../core/components/pipeline';
import { InvalidComponentError } from '../core/errors';

/**
 * Resolves a class or a module path (relative to the working directory) to a component class:
 * the module's default export when it is one, else its single exported subclass of `base`.
 * @throws InvalidComponentError for a missing module or zero/several candidates.
 */
export function resolveComponentRef(ref: unknown, base: typeof Minion | typeof Pipeline, role: 'minion' | 'pipeline'): Function {
  if (typeof ref === 'function') return ref;
  if (typeof ref !== 'string') throw new InvalidComponentError(`OrchestrationSpec.${role} must be a class or a module path, got ${typeof ref}`);
  const file = path.resolve(process.cwd(), ref);
  let mod: Record<string, unknown>;
  try {
    mod = require(file) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidComponentError(`OrchestrationSpec.${role}: cannot load module ${ref}: ${(e as Error).message}`, { cause: e });
  }
  const isSub = (v: unknown): v is Function => typeof v === 'function' && v.prototype instanceof base;
  if (isSub(mod.default)) return mod.default;
  const found = [...new Set(Object.values(mod).filter(isSub))];
  if (found.length === 1) return found[0];
  throw new InvalidComponentError(found.length === 0
    ? `Module ${ref} exports no ${base.name} subclass for OrchestrationSpec.${role}`
    : `Module ${ref} exports several ${base.name} subclasses (${found.map((f) => f.name).join(', ')}); mark one with export default`);
}
