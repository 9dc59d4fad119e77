import { SubscriberBuffer } from '../../../../src/core/fanout/subscriber-buffer';
import { BufferOverflowError, InvalidOptionError } from '../../../../src/core/errors';

/** Takes every buffered event, oldest first. */
function drain<T>(buffer: SubscriberBuffer<T>): T[] {
  const out: T[] = [];
  while (buffer.size > 0) out.push(buffer.shift() as T);
  return out;
}

describe('SubscriberBuffer: one subscriber\'s bounded FIFO', () => {
  it('a capacity that is not a positive integer is refused, naming bufferSize', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new SubscriberBuffer(bad)).toThrow(InvalidOptionError);
      expect(() => new SubscriberBuffer(bad)).toThrow(/bufferSize must be a positive integer/);
    }
    expect(new SubscriberBuffer(1).capacity).toBe(1);
  });

  it('events come out in the order they went in; an empty buffer gives undefined', () => {
    const buffer = new SubscriberBuffer<number>(4);
    expect(buffer.shift()).toBeUndefined();
    [1, 2, 3].forEach((n) => buffer.push(n));
    expect(buffer.size).toBe(3);
    expect(drain(buffer)).toEqual([1, 2, 3]);
    expect(buffer.shift()).toBeUndefined();
  });

  it('the ring wraps around: order holds while head and tail pass the end of the storage many times', () => {
    const buffer = new SubscriberBuffer<number>(3);
    const out: number[] = [];
    let next = 0;
    buffer.push(next++);
    buffer.push(next++);
    for (let round = 0; round < 20; round++) {
      buffer.push(next++); // full now: head and tail meet
      out.push(buffer.shift()!);
    }
    out.push(...drain(buffer));
    expect(out).toEqual(Array.from({ length: 22 }, (_, i) => i));
  });

  it('drop-oldest keeps order across the wrap: a full buffer that overflows mid-ring holds the newest events', () => {
    const buffer = new SubscriberBuffer<number>(3);
    buffer.push(0);
    buffer.push(1);
    buffer.shift(); // head is now mid-ring
    for (let n = 2; n <= 6; n++) buffer.push(n); // overflows 3 times
    expect(drain(buffer)).toEqual([4, 5, 6]);
  });

  it('hasRoom is false exactly when size reaches capacity', () => {
    const buffer = new SubscriberBuffer<string>(2);
    expect(buffer.hasRoom).toBe(true);
    buffer.push('a');
    expect(buffer.hasRoom).toBe(true);
    buffer.push('b');
    expect(buffer.hasRoom).toBe(false);
    buffer.shift();
    expect(buffer.hasRoom).toBe(true);
  });

  it('drop-oldest (the default): a push into a full buffer drops the oldest event, reported to onDrop, and keeps the rest in order', () => {
    const buffer = new SubscriberBuffer<number>(3);
    expect(buffer.policy).toBe('drop-oldest');
    const dropped: number[] = [];
    buffer.onDrop = (d) => dropped.push(d);
    for (let n = 1; n <= 10; n++) buffer.push(n);
    expect(dropped).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(buffer.size).toBe(3);
    expect(drain(buffer)).toEqual([8, 9, 10]);
  });

  it('error policy: a push into a full buffer throws a BufferOverflowError and leaves the buffer as it was', () => {
    const buffer = new SubscriberBuffer<number>(2, 'error');
    const dropped: number[] = [];
    let pushes = 0;
    buffer.onDrop = (d) => dropped.push(d);
    buffer.push(1);
    buffer.push(2);
    buffer.onPush = () => { pushes++; };
    expect(() => buffer.push(3)).toThrow(BufferOverflowError);
    expect(() => buffer.push(3)).toThrow(/Subscriber buffer overflow \(capacity 2\)/);
    expect(dropped).toEqual([]);
    expect(pushes).toBe(0);
    expect(drain(buffer)).toEqual([1, 2]);
  });

  it('onPush runs after every push (the consumer\'s wake-up), with the event already in the buffer', () => {
    const buffer = new SubscriberBuffer<number>(2);
    const sizes: number[] = [];
    buffer.onPush = () => sizes.push(buffer.size);
    buffer.push(1);
    buffer.push(2);
    buffer.push(3); // drop-oldest: still one wake-up, size stays at capacity
    expect(sizes).toEqual([1, 2, 2]);
  });

  it('onRoom runs after every event taken out (the producer\'s wake-up), never on an empty shift', () => {
    const buffer = new SubscriberBuffer<number>(2);
    const rooms: boolean[] = [];
    buffer.onRoom = () => rooms.push(buffer.hasRoom);
    buffer.shift();
    expect(rooms).toEqual([]);
    buffer.push(1);
    buffer.push(2);
    buffer.shift();
    buffer.shift();
    expect(rooms).toEqual([true, true]);
  });

  it('end() marks the source ended and wakes the consumer once; buffered events stay to be taken', () => {
    const buffer = new SubscriberBuffer<number>(2);
    buffer.push(1);
    let wakes = 0;
    buffer.onPush = () => { wakes++; };
    expect(buffer.ended).toBe(false);
    buffer.end();
    expect(buffer.ended).toBe(true);
    expect(wakes).toBe(1);
    expect(drain(buffer)).toEqual([1]);
  });

  it('a taken event is not kept by the buffer (no reference held after shift)', () => {
    const buffer = new SubscriberBuffer<object>(2);
    const event = {};
    buffer.push(event);
    buffer.shift();
    expect((buffer as unknown as { items: unknown[] }).items).not.toContain(event);
  });
});
