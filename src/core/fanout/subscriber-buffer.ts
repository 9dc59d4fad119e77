import { BufferOverflowError, InvalidOptionError } from '../errors';

/**
 * What a push source (an Observable) does when a subscriber's buffer is full: `'drop-oldest'` drops
 * the oldest buffered event (counted and logged); `'error'` stops that subscriber's orchestration.
 * Pull sources never overflow: they are not asked for more while a buffer is full.
 */
export type OverflowPolicy = 'drop-oldest' | 'error';

/**
 * One subscriber's bounded FIFO of events (a ring buffer: O(1) push and shift, no array
 * compaction). Pull producers wait for room; push producers overflow by `policy`.
 */
export class SubscriberBuffer<T = unknown> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;
  /** Called after an event is pushed (the consumer's wake-up). */
  onPush: () => void = () => {};
  /** Called after an event is taken out (the producer's wake-up). */
  onRoom: () => void = () => {};
  /** Called with the dropped event on overflow under `drop-oldest`. */
  onDrop: (dropped: T) => void = () => {};
  /** Set when the source completed: no more events will come. */
  ended = false;
  /** Events dropped so far (policy `drop-oldest` on a full buffer). */
  dropped = 0;

  constructor(readonly capacity: number, readonly policy: OverflowPolicy = 'drop-oldest') {
    if (!Number.isInteger(capacity) || capacity < 1) throw new InvalidOptionError('bufferSize', capacity, 'a positive integer');
    this.items = new Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get hasRoom(): boolean {
    return this.count < this.capacity;
  }

  /**
   * Appends an event. On a full buffer: `drop-oldest` drops the oldest (reported through
   * `onDrop`); `error` throws a BufferOverflowError (the subscriber fails, others are unaffected).
   */
  push(item: T): void {
    if (this.count === this.capacity) {
      if (this.policy === 'error') throw new BufferOverflowError(this.capacity);
      const dropped = this.shift() as T;
      this.dropped++;
      this.onDrop(dropped);
    }
    this.items[(this.head + this.count) % this.capacity] = item;
    this.count++;
    this.onPush();
  }

  /** The buffered events, oldest first, left in place. */
  *contents(): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.items[(this.head + i) % this.capacity] as T;
  }

  /** Takes the oldest event, or undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.onRoom();
    return item;
  }

  /** Marks the source ended and wakes the consumer. */
  end(): void {
    this.ended = true;
    this.onPush();
  }
}
