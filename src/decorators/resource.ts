import type { Resource } from '../core/components/resource';
import { componentDecorator } from './component-decorator';

/** Options of `@resource`. */
export interface ResourceOptions {
  /** Durable identity: a canonical lowercase UUID. Default: the fallback address `file:Class`. */
  id?: string;
}

/**
 * Declares a shared resource: one running instance per identity.
 * @throws InvalidComponentError when `id` is not a canonical lowercase UUID, or on a standard (TC39)
 *   decorator call (a project compiled without `experimentalDecorators` and `emitDecoratorMetadata`).
 */
export function resource(options: ResourceOptions = {}): <T extends abstract new (...args: any[]) => Resource>(target: T) => void {
  return componentDecorator('resource', { id: options.id });
}
