import { inject as inversifyInject, LazyServiceIdentifier, type ServiceIdentifier } from 'inversify';
import { recordInject } from '../core/metadata';

/**
 * Names the token of a constructor parameter (Inversify's `inject`): a class, an abstract
 * port class, a symbol or string bound in a module, or a thunk `() => Class` for a forward
 * reference. Needed where no constructor type metadata is emitted (esbuild, tsx, vitest).
 */
export function inject(token: ServiceIdentifier | (() => Function)) {
  const isThunk = typeof token === 'function' && !Object.prototype.hasOwnProperty.call(token, 'prototype');
  const id = isThunk ? new LazyServiceIdentifier(token as () => ServiceIdentifier) : (token as ServiceIdentifier);
  const apply = inversifyInject(id);
  return (target: object, key: string | symbol | undefined, index?: number | TypedPropertyDescriptor<unknown>): void => {
    if (typeof index === 'number' && key === undefined) recordInject(target as Function, index, isThunk ? token : id);
    (apply as (t: object, k: string | symbol | undefined, i?: unknown) => void)(target, key, index);
  };
}
