import * as path from 'node:path';
import { Minion } from '../core/components/minion';
import { InvalidComponentError } from '../core/errors';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { SafeLogger } from '../core/runtime/safe-logger';
import { decodeSaved } from '../core/workflow/decode-saved';
import { NoOpLogger } from '../infra';
import { resolveComponentRef } from './component-ref';
import { misfitError } from './load-saved';
import { savedShape, type StartPlan } from './start-plan';

/**
 * Loads the minion of a module-path orchestration again from disk, for a redeploy: the module's
 * entry in the CommonJS cache is dropped and the module required anew, so the class comes from
 * the file as it is now. Only that file is read again; what it imports stays cached.
 * @throws InvalidComponentError when the spec names the minion by class (there is no file to
 *   read again), the module fails to load, or the loader returned the cached class (a loader
 *   that keeps its own module registry, such as jest's).
 */
export function reloadMinionClass(plan: StartPlan): Function {
  const ref = plan.spec.minion;
  if (typeof ref !== 'string') {
    throw new InvalidComponentError(`Cannot redeploy ${plan.minionCls.name}: its orchestration was started with the class, not a module path, ` +
      'so there is no file to load again. Start it with { minion: "<module path>" } to redeploy it.');
  }
  const file = require.resolve(path.resolve(process.cwd(), ref));
  delete require.cache[file];
  const cls = resolveComponentRef(ref, Minion, 'minion');
  if (cls === plan.minionCls) {
    throw new InvalidComponentError(`Cannot redeploy ${plan.minionCls.name}: loading ${ref} again returned the class already running ` +
      '(the module loader kept its own copy). Run the compiled JavaScript with node, where modules can be loaded again.');
  }
  return cls;
}

/**
 * Checks, before the running orchestration is touched, that its saved workflows (in-flight
 * ones included, whose checkpoints are in the store) fit the new plan's classes and step list.
 * @throws WorkflowContextTypeMismatchError as a start would.
 */
export async function assertSavedFit(services: RuntimeServices, plan: StartPlan, fields: Record<string, string>): Promise<void> {
  const rows = await services.store.getContextsForOrchestration(plan.identity.orchestrationId);
  // Read only, claims nothing, logs nothing: the start that follows reads the rows again and logs what it finds.
  const decoded = decodeSaved(rows, savedShape(plan), QUIET, fields);
  if (decoded.mismatched.length > 0) throw misfitError(plan, decoded.mismatched);
}

const QUIET = new SafeLogger(new NoOpLogger());
