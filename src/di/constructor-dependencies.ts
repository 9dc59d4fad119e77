import 'reflect-metadata';
import { LazyServiceIdentifier } from 'inversify';
import { Resource } from '../core/components/resource';
import { InvalidComponentError } from '../core/errors';
import { getInjects } from '../core/metadata';

/** One constructor parameter: its token, and the resource class when the token is one. */
export interface Dependency {
  index: number;
  token: unknown;
  resource?: Function;
}

function unwrap(token: unknown): unknown {
  if (token instanceof LazyServiceIdentifier) return token.unwrap();
  if (typeof token === 'function' && !Object.prototype.hasOwnProperty.call(token, 'prototype')) return (token as () => unknown)();
  return token;
}

function isResourceClass(token: unknown): token is Function {
  return typeof token === 'function' && (token as Function).prototype instanceof Resource;
}

/**
 * The constructor dependencies of a component class, from `design:paramtypes` and `@inject`.
 * @throws InvalidComponentError when a parameter has no usable type metadata (code built by
 *   esbuild/tsx/vitest, or an interface type) and no `@inject(token)`.
 */
export function constructorDependencies(cls: Function): Dependency[] {
  const paramtypes = Reflect.getMetadata('design:paramtypes', cls) as unknown[] | undefined;
  const injects = getInjects(cls);
  const count = Math.max(paramtypes?.length ?? 0, cls.length, ...[...injects.keys()].map((i) => i + 1));
  const deps: Dependency[] = [];
  for (let index = 0; index < count; index++) {
    const token = injects.has(index) ? unwrap(injects.get(index)) : paramtypes?.[index];
    if (token === undefined || token === Object) {
      const why = paramtypes ? 'its type has no runtime value (an interface, a type alias, or a class used before its declaration)' : 'the class has no constructor type metadata';
      throw new InvalidComponentError(
        `${cls.name} constructor parameter #${index}: ${why}. Compile with tsc, ts-jest or SWC with ` +
        `"experimentalDecorators" and "emitDecoratorMetadata" (esbuild, tsx and vitest emit no metadata), ` +
        `or name the token with @inject(Token) (a thunk @inject(() => Other) for a forward reference).`);
    }
    deps.push({ index, token, resource: isResourceClass(token) ? token : undefined });
  }
  return deps;
}

/** The resource classes a component's constructor needs, in parameter order, without repeats. */
export function resourceDependencies(cls: Function): Function[] {
  return [...new Set(constructorDependencies(cls).flatMap((d) => (d.resource ? [d.resource] : [])))];
}
