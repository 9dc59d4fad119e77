/**
 * Why an event's work did not end in this process, so its source should deliver it again:
 * - `not-started`: no workflow was created for it (its orchestration stopped first, or it was dropped);
 * - `interrupted`: its workflow stopped with its checkpoint kept (a stop), to resume elsewhere or later;
 * - `owned-elsewhere`: its workflow is running (or owned) by another live process, or by this one
 *   under another delivery;
 * - `unreadable`: its saved checkpoint could not be read or no longer fits the minion (logged).
 */
export type RetryReason = 'not-started' | 'interrupted' | 'owned-elsewhere' | 'unreadable';

/** What became of one event in one orchestration: `ended` (its workflow ended, checkpoint deleted or kept failed), or a {@link RetryReason}. */
export type DeliveryVerdict = 'ended' | RetryReason;

/**
 * One event's delivery by a broker that redelivers what is not acknowledged (a work queue such as
 * NATS JetStream). A pipeline hands it out through `Pipeline.deliveryOf(event)`; the runtime then
 * names the event's workflow after {@link key} (so a redelivery and a saved checkpoint meet) and
 * calls exactly one of {@link ended} or {@link retry} once every orchestration that received the
 * event is done with it.
 */
export interface Delivery {
  /**
   * Stable across redeliveries of the same message, unique within the source (for JetStream,
   * `<stream>:<stream sequence>`). The workflow id is derived from it and the orchestration id.
   */
  readonly key: string;
  /**
   * True when the broker may have handed this message out before: a checkpoint may exist for it,
   * so the runtime looks in the store before starting a fresh workflow. False for a first delivery.
   */
  readonly redelivered: boolean;
  /** Every orchestration that received the event ended its workflow: acknowledge it. */
  ended(): void;
  /** Its work did not end here: let the broker deliver it again (at once or after a delay). */
  retry(reason: RetryReason): void;
}

interface Ticket {
  delivery: Delivery;
  /** Orchestrations still to report. */
  remaining: number;
  /** The first reason to deliver again, if any orchestration gave one. */
  retry?: RetryReason;
}

/** Events fanned out with a delivery and not yet settled by all their subscribers. Events are unique objects. */
const tickets = new WeakMap<object, Ticket>();

/** Records that `event` went to `subscribers` orchestrations; with none it is retried at once. */
export function issueTicket(event: object, delivery: Delivery, subscribers: number): void {
  if (subscribers <= 0) {
    delivery.retry('not-started');
    return;
  }
  tickets.set(event, { delivery, remaining: subscribers });
}

/** The delivery of a fanned-out event still waiting for verdicts, if it has one. */
export function deliveryOfTicket(event: unknown): Delivery | undefined {
  return typeof event === 'object' && event !== null ? tickets.get(event)?.delivery : undefined;
}

/**
 * One orchestration's verdict on `event`. When the last one is in, the delivery is acknowledged
 * (all `ended`) or retried (the first other reason). A second verdict for a settled event is ignored.
 */
export function settleTicket(event: unknown, verdict: DeliveryVerdict): void {
  if (typeof event !== 'object' || event === null) return;
  const t = tickets.get(event);
  if (!t) return;
  if (verdict !== 'ended') t.retry ??= verdict;
  if (--t.remaining > 0) return;
  tickets.delete(event);
  if (t.retry === undefined) t.delivery.ended();
  else t.delivery.retry(t.retry);
}
