import { markUntracked } from '../core/metadata';

/** Exempts an async resource method from call tracking (no latency, serves or error metrics). */
export function untracked(target: object, key: string | symbol, descriptor: PropertyDescriptor): PropertyDescriptor {
  markUntracked(target, String(key));
  return descriptor;
}
