import { randomUUID } from 'node:crypto';

/** A fresh workflow id: a UUID v4 as 32 hex digits, without a regex per call. */
export function newWorkflowId(): string {
  const u = randomUUID();
  return u.slice(0, 8) + u.slice(9, 13) + u.slice(14, 18) + u.slice(19, 23) + u.slice(24);
}
