import { injectable } from 'inversify';
import { assertCanonicalUuid, callerFile, fallbackAddress } from '../core/identity/component-id';
import { registerComponentId } from '../core/identity/id-registry';
import { setComponentMeta, type ComponentMeta } from '../core/metadata';
import { refuseStandardDecorator } from './refuse-standard-decorator';

/**
 * Shared body of `@minion`, `@pipeline`, `@resource`: validate the id, capture the address,
 * record the metadata, and enter an explicit id in the process-wide id registry (checked for
 * duplicates at `startOrchestration`).
 * @throws InvalidComponentError when `options.id` is given and not a canonical lowercase UUID,
 *   or (from the returned decorator) on a standard (TC39) decorator call.
 */
export function componentDecorator(kind: ComponentMeta['kind'], options: Omit<ComponentMeta, 'kind' | 'fallbackAddress' | 'moduleFile'>) {
  if (options.id !== undefined) assertCanonicalUuid(options.id, `@${kind}({ id })`);
  const file = callerFile();
  return (target: Function, context?: unknown): void => {
    refuseStandardDecorator(`@${kind}`, context);
    const address = fallbackAddress(file ?? '<unknown>', target.name);
    setComponentMeta(target, { ...options, kind, fallbackAddress: address, ...(options.isolation && file ? { moduleFile: file } : {}) });
    if (options.id !== undefined) registerComponentId(kind, options.id, target, address);
    injectable()(target as never);
  };
}
