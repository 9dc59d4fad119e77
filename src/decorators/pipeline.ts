import type { Pipeline } from '../core/components/pipeline';
import { componentDecorator } from './component-decorator';

/** Options of `@pipeline`. */
export interface PipelineOptions<E> {
  /** Event class emitted: data class constructible with no arguments. */
  event: new () => E;
  /** Durable identity: a canonical lowercase UUID. Default: the fallback address `file:Class`. */
  id?: string;
}

/**
 * Declares a pipeline. The decorated class must extend `Pipeline<E>` for the same `E`.
 * @throws InvalidComponentError when `id` is not a canonical lowercase UUID, or on a standard (TC39)
 *   decorator call (a project compiled without `experimentalDecorators` and `emitDecoratorMetadata`).
 */
export function pipeline<E>(options: PipelineOptions<E>): <T extends abstract new (...args: any[]) => Pipeline<E>>(target: T) => void {
  return componentDecorator('pipeline', { id: options.id, event: options.event });
}
