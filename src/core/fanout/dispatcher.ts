import type { WorkflowRunner } from '../workflow/workflow-runner';
import type { WorkflowState } from '../workflow/outcome';
import type { SubscriberBuffer } from './subscriber-buffer';

/** A condition that holds back live events (a full disk): checked before each, with a wake-up. */
export interface IntakeGate {
  readonly full: boolean;
  onResume(listener: () => void): () => void;
}

/**
 * Feeds one orchestration's runner: resumed workflows first, then live events from its
 * buffer, greedily up to `maxInFlight` at once.
 */
export class Dispatcher<E = unknown> {
  /** Decoded checkpoints not yet started; `resumeNext` indexes it (no O(n) shift per workflow). */
  private resumeQueue: WorkflowState[] = [];
  private resumeNext = 0;
  private active = 0;
  private closed = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly runner: WorkflowRunner,
    private readonly buffer: SubscriberBuffer<E>,
    private readonly maxInFlight: number,
    private readonly makeLive: (event: E) => WorkflowState,
    /** While it is `full`, buffered events wait (resumed workflows still run). */
    private readonly gate?: IntakeGate,
  ) {
    buffer.onPush = () => this.pump();
    this.ungate = gate?.onResume(() => this.pump());
  }

  private readonly ungate?: () => void;

  /** Queues decoded checkpoints; they run before any live event. */
  resume(states: WorkflowState[]): void {
    for (const s of states) this.resumeQueue.push(s);
    this.pump();
  }

  /** Takes no more work; what is running keeps running (the runner's stop handles it). */
  close(): void {
    this.closed = true;
    this.ungate?.();
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
    while (!this.closed && this.active < this.maxInFlight) {
      let state: WorkflowState | undefined;
      if (this.resumeNext < this.resumeQueue.length) {
        state = this.resumeQueue[this.resumeNext];
        this.resumeQueue[this.resumeNext++] = undefined as never;
        if (this.resumeNext === this.resumeQueue.length) { this.resumeQueue = []; this.resumeNext = 0; }
      }
      if (!state) {
        if (this.buffer.size === 0 || this.gate?.full) break;
        state = this.makeLive(this.buffer.shift() as E);
      }
      this.active++;
      void this.runner.run(state).then(this.done);
    }
    this.settleIdle(false);
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
