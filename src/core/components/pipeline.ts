import type { Observable } from 'rxjs';
import { ComponentBase } from './component-base';
import type { Delivery } from '../fanout/delivery';

declare const eventType: unique symbol;

/**
 * Base class of event sources. Implement exactly one of:
 * - `produceEvent()`: pull style, called again whenever every subscriber has buffer room;
 * - `produceEvents(max)`: pull style in batches, called with the room every subscriber has;
 * - `events()`: an async iterable (pulled with the same backpressure) or an RxJS Observable
 *   (pushed; overflow handled by the subscriber's drop policy).
 * A source that completes ends the pipeline. One running instance per pipeline identity,
 * shared by every orchestration that uses it.
 */
export abstract class Pipeline<E> extends ComponentBase {
  /** Type-level only: ties the class to its event type (covariant: a subclass event fits). Never present at runtime. */
  declare readonly [eventType]?: () => E;
  /**
   * Pull style: return one event per call. A call that rejects yields no event; it is counted and
   * logged, and the next call comes after a backoff that grows with each failure in a row and
   * resets after a success (`GruOptions.producerRetry`: 1 s doubling to 60 s, ±10 %).
   */
  produceEvent?(): Promise<E>;
  /**
   * Pull style in batches: return up to `max` events (at least 1) per call; an empty array
   * yields nothing and the call comes again. `max` is the room left in the fullest subscriber
   * buffer, so a source that fetches from a broker takes no more than its subscribers can hold.
   * Failures are handled as for {@link produceEvent}.
   */
  produceEvents?(max: number): Promise<E[]>;
  /**
   * Optional, for a source whose broker redelivers what is not acknowledged: the {@link Delivery}
   * of an event this pipeline produced (a stable key, and how to acknowledge or redeliver it), or
   * `undefined`. With it, the event's workflow id derives from the key and the orchestration, the
   * runtime calls `ended()` only once the event's workflow ended in every orchestration that
   * received it, and saved workflows resume when their event comes back rather than at start.
   * Events with a delivery must be objects.
   */
  deliveryOf?(event: E): Delivery | undefined;
  /** Stream style: an async iterable or Observable of events. */
  events?(): AsyncIterable<E> | Observable<E>;
  /** Optional: opens the source before the first event is asked for; deadline `startupTimeoutMs`. */
  startup?(): Promise<void>;
  /** Optional: closes the source once the last orchestration using the pipeline stopped; deadline `shutdownTimeoutMs`. */
  shutdown?(): Promise<void>;
}
