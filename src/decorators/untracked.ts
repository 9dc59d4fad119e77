import { markUntracked } from '../core/metadata';
import { refuseStandardDecorator } from './refuse-standard-decorator';

/**
 * Exempts an async resource method from call tracking (no latency, serves or error metrics).
 * @throws InvalidComponentError on a standard (TC39) decorator call (compiled without `experimentalDecorators`).
 */
export function untracked(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor {
  refuseStandardDecorator('@untracked', key);
  markUntracked(target, String(key));
  return descriptor;
}
