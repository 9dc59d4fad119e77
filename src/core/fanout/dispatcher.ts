import type { WorkflowRunner } from '../workflow/workflow-runner';
import type { WorkflowState } from '../workflow/outcome';
import type { SubscriberBuffer } from './subscriber-buffer';
import { deliveryOfTicket, settleTicket, type Delivery, type DeliveryVerdict } from './delivery';

/** How an event with a {@link Delivery} becomes a workflow: a state to run, or a verdict without running. */
export type Admission = { state: WorkflowState } | { verdict: DeliveryVerdict };

/** Turns an event with a delivery into its workflow (see RedeliveryAdmission). Never rejects. */
export interface Admitter {
  admit(event: unknown, delivery: Delivery): Promise<Admission>;
}

/** A condition that holds back live events (a full disk): checked before each, with a wake-up. */
export interface IntakeGate {
  readonly full: boolean;
  onResume(listener: () => void): () => void;
}

/**
 * Feeds one orchestration's runner: resumed workflows first, then live events from its
 * buffer, greedily up to `maxInFlight` at once. An event with a delivery (a broker that
 * redelivers) goes through the admitter first, and its verdict is reported when its workflow ends.
 */
export class Dispatcher<E = unknown> {
  /** Decoded checkpoints not yet started; `resumeNext` indexes it (no O(n) shift per workflow). */
  private resumeQueue: WorkflowState[] = [];
  private resumeNext = 0;
  private active = 0;
  private closed = false;
  /** Set by `resume` until the next turn of the event loop: nothing starts meanwhile. */
  private held = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly runner: WorkflowRunner,
    private readonly buffer: SubscriberBuffer<E>,
    private readonly maxInFlight: number,
    private readonly makeLive: (event: E) => WorkflowState,
    /** While it is `full`, buffered events wait (resumed workflows still run). */
    private readonly gate?: IntakeGate,
    private readonly admitter?: Admitter,
  ) {
    buffer.onPush = () => this.pump();
    this.ungate = gate?.onResume(() => this.pump());
  }

  private readonly ungate?: () => void;

  /**
   * Queues decoded checkpoints; they run before any live event. When there are any, nothing
   * starts before the next turn of the event loop: the start (or retry) that queued them
   * completes, and is reported, before their code runs.
   */
  resume(states: WorkflowState[]): void {
    if (states.length === 0) return;
    for (const s of states) this.resumeQueue.push(s);
    this.held = true;
    setImmediate(() => {
      this.held = false;
      this.pump();
    });
  }

  /**
   * Takes a queued checkpoint out of the resume queue, so it never starts here (an operator
   * deleted it). Returns it, or `undefined` when it is not queued (running, or not here).
   */
  withdraw(workflowId: string): WorkflowState | undefined {
    for (let i = this.resumeNext; i < this.resumeQueue.length; i++) {
      const state = this.resumeQueue[i];
      if (state.workflowId !== workflowId) continue;
      this.resumeQueue.splice(i, 1);
      if (this.resumeNext === this.resumeQueue.length) { this.resumeQueue = []; this.resumeNext = 0; }
      this.settleIdle(false);
      return state;
    }
    return undefined;
  }

  /** Takes no more work; what is running keeps running (the runner's stop handles it). */
  close(): void {
    this.closed = true;
    this.ungate?.();
    // Events that never became a workflow here: their broker delivers them again.
    for (const e of this.buffer.contents()) settleTicket(e, 'not-started');
    this.settleIdle(true);
  }

  /** The source ended and nothing is queued or running. */
  get idle(): boolean {
    return this.active === 0 && this.resumeNext === this.resumeQueue.length && this.buffer.size === 0 && this.buffer.ended;
  }

  /** Resolves when {@link idle} holds, or when the dispatcher closes. */
  whenIdle(): Promise<void> {
    if (this.idle || this.closed) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private pump(): void {
    while (!this.closed && !this.held && this.active < this.maxInFlight) {
      let state: WorkflowState | undefined;
      if (this.resumeNext < this.resumeQueue.length) {
        state = this.resumeQueue[this.resumeNext];
        this.resumeQueue[this.resumeNext++] = undefined as never;
        if (this.resumeNext === this.resumeQueue.length) { this.resumeQueue = []; this.resumeNext = 0; }
      }
      if (!state) {
        if (this.buffer.size === 0 || this.gate?.full) break;
        const event = this.buffer.shift() as E;
        const delivery = deliveryOfTicket(event);
        if (delivery) {
          this.active++;
          void this.runDelivered(event, delivery).then(this.done);
          continue;
        }
        state = this.makeLive(event);
      }
      this.active++;
      void this.runner.run(state).then(this.done);
    }
    this.settleIdle(false);
  }

  /** Admits an event with a delivery, runs its workflow unless admission says otherwise, reports the verdict. */
  private async runDelivered(event: E, delivery: Delivery): Promise<void> {
    let verdict: DeliveryVerdict = 'not-started';
    try {
      const admitted: Admission = this.admitter ? await this.admitter.admit(event, delivery) : { state: this.makeLive(event) };
      if ('verdict' in admitted) verdict = admitted.verdict;
      else if (!this.closed) verdict = (await this.runner.run(admitted.state)) === 'interrupted' ? 'interrupted' : 'ended';
    } finally {
      settleTicket(event, verdict);
    }
  }

  private readonly done = (): void => {
    this.active--;
    this.pump();
  };

  private settleIdle(force: boolean): void {
    if (this.idleWaiters.length === 0 || !(force || this.idle)) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }
}
