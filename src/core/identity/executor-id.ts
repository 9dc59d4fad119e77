import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A new executor id: `<host>/<pid>/<8 hex>`, unique to one start of one process (the random part
 * tells apart two starts that got the same pid). Names the owner of checkpoints in a shared store.
 */
export function newExecutorId(host = hostname(), pid = process.pid): string {
  return `${host}/${pid}/${randomBytes(4).toString('hex')}`;
}
