import * as path from 'node:path';
import { Minion } from '../core/components/minion';
import { Pipeline } from '../core/components/pipeline';
import { InvalidComponentError } from '../core/errors';
import { getComponentMeta } from '../core/metadata';

/**
 * Resolves an `OrchestrationSpec.minion` / `.pipeline` to its class.
 *
 * - A class is returned as is (the start checks it further).
 * - A string is a module path, relative to the working directory or absolute, loaded with
 *   `require` (Node's resolution: the extension and `index` may be left out; a `.ts` path needs
 *   a TypeScript loader such as ts-node or jest, compiled `.js` needs none). The class is the
 *   module's `export default` when that is a subclass of `base`; else the single exported
 *   subclass of `base`. When a module exports several subclasses of which exactly one is
 *   decorated (`@minion` / `@pipeline`), that one is taken (an undecorated shared base class
 *   exported next to it does not count).
 *
 * @param ref the class or module path.
 * @param base `Minion` or `Pipeline`.
 * @param role `'minion'` or `'pipeline'`, for messages.
 * @throws InvalidComponentError when `ref` is neither a class nor a string, the module cannot
 *   be loaded (`cause` is the loader's error), it exports no subclass of `base`, or several
 *   candidates and no default export (the message lists them).
 */
export function resolveComponentRef(ref: unknown, base: typeof Minion | typeof Pipeline, role: 'minion' | 'pipeline'): Function {
  if (typeof ref === 'function') return ref;
  if (typeof ref !== 'string' || ref.trim() === '') {
    throw new InvalidComponentError(`OrchestrationSpec.${role} must be a class or a module path, got ${typeof ref === 'string' ? 'an empty string' : typeof ref}`);
  }
  const file = path.resolve(process.cwd(), ref);
  let mod: Record<string, unknown>;
  try {
    mod = require(file) as Record<string, unknown>;
  } catch (e) {
    throw new InvalidComponentError(`OrchestrationSpec.${role}: cannot load module ${ref} (resolved to ${file}): ${(e as Error).message}`, { cause: e });
  }
  const isSub = (v: unknown): v is Function => typeof v === 'function' && v.prototype instanceof base;
  if (isSub(mod.default)) return mod.default;
  const found = [...new Set(Object.values(mod ?? {}).filter(isSub))];
  if (found.length === 1) return found[0];
  const decorated = found.filter((cls) => getComponentMeta(cls)?.kind === role);
  if (decorated.length === 1) return decorated[0];
  if (found.length === 0) {
    throw new InvalidComponentError(
      `Module ${ref} exports no ${base.name} subclass for OrchestrationSpec.${role}: export the @${role} class from it ` +
        `(export class X extends ${base.name} ..., or export default X).`,
    );
  }
  const listed = (decorated.length > 1 ? decorated : found).map((f) => f.name).join(', ');
  throw new InvalidComponentError(
    `Module ${ref} exports several ${base.name} subclasses (${listed}) for OrchestrationSpec.${role}: ` +
      'mark the one to run with `export default`, or pass the class itself.',
  );
}
