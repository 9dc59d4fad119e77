import { injectable } from 'inversify';
import { assertCanonicalUuid, callerFile, fallbackAddress } from '../core/identity/component-id';
import { setComponentMeta, type ComponentMeta } from '../core/metadata';

/** Shared body of `@minion`, `@pipeline`, `@resource`: validate the id, capture the address, record. */
export function componentDecorator(kind: ComponentMeta['kind'], options: Omit<ComponentMeta, 'kind' | 'fallbackAddress'>) {
  if (options.id !== undefined) assertCanonicalUuid(options.id, `@${kind}({ id })`);
  const file = callerFile();
  return (target: Function): void => {
    setComponentMeta(target, {
      ...options,
      kind,
      fallbackAddress: fallbackAddress(file ?? '<unknown>', target.name),
    });
    injectable()(target as never);
  };
}
