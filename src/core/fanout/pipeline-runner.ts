import { isObservable, Subject, type Observable, type Subscription } from 'rxjs';
import type { Pipeline } from '../components/pipeline';
import { backoffDelayMs, sleep } from '../runtime/backoff';
import { errorFields } from '../runtime/safe-logger';
import type { RuntimeServices } from '../runtime/runtime-services';
import { executionScope } from '../scope';
import { deepFreeze } from './deep-freeze';
import { settlesWithin } from '../lifecycle/with-deadline';
import type { SubscriberBuffer } from './subscriber-buffer';
import { issueTicket, settleTicket } from './delivery';

/** Pull loops yield to the macrotask queue this often, so a synchronous source never starves I/O. */
const YIELD_EVERY = 256;

interface Attached {
  subscription: Subscription;
  fanoutLabels: Record<string, string>;
  droppedLabels: Record<string, string>;
}

/**
 * Drives one running pipeline: pulls `produceEvent()` or an async iterable only
 * while every subscriber has buffer room (the slowest subscriber paces the producer), or
 * subscribes to an Observable (pushed; overflow by the buffer's policy), and fans each event,
 * deep-frozen, out through an RxJS Subject to every subscriber's bounded buffer.
 * Production starts when the first subscriber attaches.
 */
export class PipelineRunner<E = unknown> {
  private readonly subject = new Subject<E>();
  private readonly subscribers = new Map<SubscriberBuffer<E>, Attached>();
  private readonly producedLabels: Record<string, string>;
  private wake?: () => void;
  private started = false;
  private stopped = false;
  private ended = false;
  private iterator?: AsyncIterator<E>;
  private observableSub?: Subscription;
  private lastDropWarn = 0;
  /** Events produced so far: a subscriber attaching later has missed this many (hot source). */
  private produced = 0;
  private unwatchMemory?: () => void;
  private unwatchDisk?: () => void;
  /** Aborted by {@link stop}: ends a producer's backoff wait at once. */
  private readonly stopController = new AbortController();

  /**
   * @param onFailed - called once when an async iterable throws or an Observable errors: the
   *   pipeline is dead and its subscribers must stop.
   */
  constructor(
    private readonly pipeline: Pipeline<E>,
    private readonly identity: string,
    private readonly services: RuntimeServices,
    private readonly onFailed: (error: unknown) => void,
  ) {
    this.producedLabels = { pipeline: identity };
  }

  /** True once the source completed or failed. */
  get hasEnded(): boolean {
    return this.ended;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Attaches a subscriber buffer; it sees the events produced from now on. Attaching does not start production: {@link open} does, so that subscribers
   * started together all attach first. A subscriber attaching after the pipeline produced
   * gets a warn line with the count it missed and `pipeline_late_subscriber_total`; one
   * attaching after the source ended gets no events and is ended at once.
   * @param onFailed - this subscriber's own failure (a push overflow under policy `error`).
   */
  attach(buffer: SubscriberBuffer<E>, orchestrationId: string, onFailed: (error: unknown) => void): void {
    const fanoutLabels = { pipeline: this.identity, orchestration_id: orchestrationId };
    const droppedLabels = fanoutLabels;
    buffer.onRoom = () => this.notify();
    buffer.onDrop = (event) => {
      settleTicket(event, 'not-started');
      this.dropped(droppedLabels, orchestrationId);
    };
    const subscription = this.subject.subscribe({
      next: (event) => {
        try {
          buffer.push(event);
          this.services.metrics.inc('pipeline_event_fanout_total', fanoutLabels);
        } catch (e) {
          settleTicket(event, 'not-started');
          this.detach(buffer);
          onFailed(e);
        }
      },
      complete: () => buffer.end(),
    });
    this.subscribers.set(buffer, { subscription, fanoutLabels, droppedLabels });
    if (this.produced > 0 || this.ended) this.lateSubscriber(orchestrationId, fanoutLabels);
    if (this.ended) buffer.end();
    this.notify();
  }

  /** Starts production once it has a subscriber. Idempotent. */
  open(): void {
    if (!this.started && !this.stopped && this.subscribers.size > 0) this.start();
  }

  private lateSubscriber(orchestrationId: string, labels: Record<string, string>): void {
    this.services.metrics.inc('pipeline_late_subscriber_total', labels);
    this.services.log.log('warn', 'Subscriber attached to a pipeline that already produced events', {
      pipeline_id: this.identity, orchestration_id: orchestrationId, missed_events: this.produced, pipeline_ended: this.ended,
      suggestion: 'A pipeline is a hot source: a subscriber sees only the events produced after it attached. ' +
        'Start orchestrations that share a pipeline together with gru.startOrchestrations([...]) so each sees every event.',
    });
  }

  /** Detaches a subscriber; it receives nothing afterwards. */
  detach(buffer: SubscriberBuffer<E>): void {
    const entry = this.subscribers.get(buffer);
    if (!entry) return;
    entry.subscription.unsubscribe();
    buffer.onRoom = () => {};
    this.subscribers.delete(buffer);
    this.notify();
  }

  /** Stops production. A `produceEvent()` still pending is abandoned, not awaited. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopController.abort();
    this.unwatchMemory?.();
    this.unwatchDisk?.();
    this.notify();
    this.observableSub?.unsubscribe();
    const it = this.iterator;
    // An iterator's return() waits for its pending next(); a producer blocked forever must not hold the stop.
    if (it?.return) await settlesWithin(Promise.resolve().then(() => it.return!()), 100);
  }

  private notify(): void {
    const w = this.wake;
    if (w) { this.wake = undefined; w(); }
  }

  private canPull(): boolean {
    return this.room() > 0;
  }

  /** Events every subscriber can take now: the least free room of their buffers (0 while paused). */
  private room(): number {
    if (this.subscribers.size === 0) return 0;
    if (this.services.memoryGuard?.paused || this.services.disk?.full) return 0;
    let room = Infinity;
    for (const b of this.subscribers.keys()) room = Math.min(room, b.capacity - b.size);
    return room;
  }

  private start(): void {
    this.started = true;
    this.unwatchMemory = this.services.memoryGuard?.onResume(() => this.notify());
    this.unwatchDisk = this.services.disk?.onResume(() => this.notify());
    const scope = { callerKind: 'pipeline' as const, caller: this.identity, orchestrationId: '' };
    executionScope.run(scope, () => {
      const p = this.pipeline;
      if (typeof p.produceEvent === 'function' || typeof p.produceEvents === 'function') {
        void this.pullLoop(p, null);
        return;
      }
      let source: AsyncIterable<E> | Observable<E>;
      try {
        source = p.events!();
      } catch (e) {
        this.fail(e);
        return;
      }
      if (isObservable(source)) {
        this.observableSub = (source as Observable<E>).subscribe({
          next: (ev) => this.emit(ev),
          error: (e) => this.fail(e),
          complete: () => this.end(),
        });
      } else {
        this.iterator = (source as AsyncIterable<E>)[Symbol.asyncIterator]();
        void this.pullLoop(null, this.iterator);
      }
    });
  }

  /**
   * The pull loop: `produceEvent()` of `producer` (or `produceEvents(room)`, a batch no larger
   * than the subscribers' free room), or `iterator.next()` (an error ends the pipeline). One
   * awaited call per event or batch, nothing else. A `produceEvent()` that rejects is
   * counted, logged (rate-limited) and called again after a backoff that grows with each failure
   * in a row and resets after a success (`GruOptions.producerRetry`); a stop ends the wait at once.
   */
  private async pullLoop(producer: Pipeline<E> | null, iterator: AsyncIterator<E> | null): Promise<void> {
    let sinceYield = 0;
    /** `produceEvent()` failures in a row. */
    let failures = 0;
    while (!this.stopped) {
      if (!this.canPull()) {
        await new Promise<void>((r) => { this.wake = r; });
        continue;
      }
      if (++sinceYield >= YIELD_EVERY) {
        sinceYield = 0;
        await new Promise<void>((r) => setImmediate(r));
        if (this.stopped) return;
      }
      let value: E;
      try {
        if (producer !== null && typeof producer.produceEvents === 'function') {
          const batch = await producer.produceEvents(this.room());
          failures = 0;
          if (this.stopped) { this.unwanted(batch); return; }
          for (const event of batch) this.emit(event);
          continue;
        }
        if (producer !== null) {
          value = await producer.produceEvent!();
          failures = 0;
        } else {
          const result = await iterator!.next();
          if (this.stopped) return;
          if (result.done) { this.end(); return; }
          value = result.value;
        }
      } catch (e) {
        if (this.stopped) return;
        if (producer === null) { this.fail(e); return; }
        const errorType = (e as Error)?.name ?? typeof e;
        const delayMs = backoffDelayMs(++failures, this.services.options.producerRetry);
        this.services.metrics.inc('pipeline_error_total', { pipeline: this.identity, error_type: errorType });
        this.services.log.logRepeated(`produce ${this.identity} ${errorType}`, 'error', 'Pipeline failed to produce event', {
          pipeline_id: this.identity, ...errorFields(e), retry_attempt: failures, retry_delay_seconds: delayMs / 1000,
        });
        if (!(await sleep(delayMs, this.stopController.signal))) return;
        continue;
      }
      if (this.stopped) return;
      this.emit(value);
    }
  }

  private emit(event: E): void {
    if (this.stopped) { this.unwanted([event]); return; }
    // Before the fan-out: each subscriber settles its part of the event's delivery.
    const delivery = this.pipeline.deliveryOf?.(event);
    if (delivery) issueTicket(event as object, delivery, this.subscribers.size);
    deepFreeze(event);
    this.produced++;
    this.services.metrics.inc('pipeline_event_produced_total', this.producedLabels);
    this.subject.next(event);
  }

  /** Events produced after the stop: nobody takes them, so their broker delivers them again. */
  private unwanted(events: E[]): void {
    for (const event of events) this.pipeline.deliveryOf?.(event)?.retry('not-started');
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.subject.complete();
  }

  private fail(error: unknown): void {
    if (this.ended || this.stopped) return;
    this.services.metrics.inc('pipeline_error_total', { pipeline: this.identity, error_type: (error as Error)?.name ?? typeof error });
    this.services.log.log('error', 'Pipeline failed', { pipeline_id: this.identity, ...errorFields(error) });
    this.end();
    this.onFailed(error);
  }

  private dropped(labels: Record<string, string>, orchestrationId: string): void {
    this.services.metrics.inc('pipeline_event_dropped_total', labels);
    const now = Date.now();
    if (now - this.lastDropWarn >= 10_000) {
      this.lastDropWarn = now;
      this.services.log.log('warn', 'Pipeline dropped events for a slow subscriber', {
        pipeline_id: this.identity, orchestration_id: orchestrationId,
        suggestion: 'The source pushes faster than the minion finishes workflows: raise bufferSize or maxInFlight, or pull instead.',
      });
    }
  }
}
