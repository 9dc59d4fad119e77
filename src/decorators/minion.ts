import type { Minion } from '../core/components/minion';
import { componentDecorator } from './component-decorator';

/** Classes of a minion with the given event, context and config types. */
export type MinionClass<E, C, Cfg> = abstract new (...args: any[]) => Minion<E, C, Cfg>;

/** Options of `@minion` without a config class. */
export interface MinionOptions<E, C> {
  /** Event class: data class constructible with no arguments. */
  event: new () => E;
  /** Context class: data class constructible with no arguments, defaults for every field. */
  context: new () => C;
  /** Durable identity: a canonical lowercase UUID. Default: the fallback address `file:Class`. */
  id?: string;
}

/** Options of `@minion` with a config class. */
export interface MinionOptionsWithConfig<E, C, Cfg> extends MinionOptions<E, C> {
  /** Config class: data class; `name!: string` marks a required field. */
  config: new () => Cfg;
}

/**
 * Declares a minion. The decorated class must extend `Minion<E, C, Cfg>` with the
 * same classes; a mismatch or a forgotten `config` is a compile error.
 * @throws InvalidComponentError when `id` is not a canonical lowercase UUID, or on a standard (TC39)
 *   decorator call (a project compiled without `experimentalDecorators` and `emitDecoratorMetadata`).
 */
export function minion<E, C>(options: MinionOptions<E, C>): <T extends MinionClass<E, C, never>>(target: T) => void;
export function minion<E, C, Cfg>(options: MinionOptionsWithConfig<E, C, Cfg>): <T extends MinionClass<E, C, Cfg>>(target: T) => void;
export function minion(options: MinionOptions<unknown, unknown> & { config?: new () => unknown }) {
  return componentDecorator('minion', { id: options.id, event: options.event, context: options.context, config: options.config });
}
