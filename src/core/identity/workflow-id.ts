import { createHash, randomUUID } from 'node:crypto';

/** A fresh workflow id: a UUID v4 as 32 hex digits, without a regex per call. */
export function newWorkflowId(): string {
  const u = randomUUID();
  return u.slice(0, 8) + u.slice(9, 13) + u.slice(14, 18) + u.slice(19, 23) + u.slice(24);
}

/**
 * The workflow id of a delivered event in one orchestration: 32 hex digits of SHA-256 over the
 * orchestration id and the delivery key. Every redelivery of the message, in any process, gets
 * the same id, so it meets the checkpoint a crashed run left behind.
 */
export function deliveredWorkflowId(orchestrationId: string, deliveryKey: string): string {
  return createHash('sha256').update(orchestrationId).update('\n').update(deliveryKey).digest('hex').slice(0, 32);
}
