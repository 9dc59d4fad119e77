import { newWorkflowId } from '../identity/workflow-id';
import type { WorkflowState } from '../workflow/outcome';
import type { WorkflowRunner } from '../workflow/workflow-runner';
import { Dispatcher, type Admitter, type IntakeGate } from './dispatcher';
import { SubscriberBuffer, type OverflowPolicy } from './subscriber-buffer';

/** Sizes of one orchestration's intake. */
export interface IntakeOptions {
  /** Events held for this subscriber, default 1,024. */
  bufferSize: number;
  /** What a push source does to a full buffer. */
  overflowPolicy: OverflowPolicy;
  /** Workflows running at once, default 1,000. */
  maxInFlight: number;
}

/**
 * Where an orchestration's workflows come from: its bounded subscriber buffer (the pipeline
 * fans events into it), the dispatcher that feeds the runner greedily up to `maxInFlight`
 * (resumed workflows first), and the creation of each live workflow: a fresh id and a fresh
 * `new Context()` per event.
 */
export class WorkflowIntake<E = unknown> {
  readonly buffer: SubscriberBuffer<E>;
  private readonly dispatcher: Dispatcher<E>;

  /**
   * @param gate - holds back live events while it is `full` (the runtime's disk health).
   * @param admitter - for events with a delivery (a redelivering source): names and claims their workflows.
   */
  constructor(runner: WorkflowRunner, options: IntakeOptions, Context: new () => unknown, gate?: IntakeGate, admitter?: Admitter) {
    this.buffer = new SubscriberBuffer<E>(options.bufferSize, options.overflowPolicy);
    this.dispatcher = new Dispatcher<E>(runner, this.buffer, options.maxInFlight, (event): WorkflowState => ({
      workflowId: newWorkflowId(), event, context: new Context(), nextIndex: 0, startedAt: null, live: true,
    }), gate, admitter);
  }

  /** Queues decoded checkpoints: they run before any live event. */
  resume(states: WorkflowState[]): void {
    this.dispatcher.resume(states);
  }

  /** Takes a queued checkpoint out before it starts (see `Dispatcher.withdraw`); `undefined` when it is not queued. */
  withdraw(workflowId: string): WorkflowState | undefined {
    return this.dispatcher.withdraw(workflowId);
  }

  /** Takes no more work; what runs keeps running (the runner's stop handles it). */
  close(): void {
    this.dispatcher.close();
  }

  /** Resolves once the source ended and nothing is queued or running, or when the intake closes. */
  whenIdle(): Promise<void> {
    return this.dispatcher.whenIdle();
  }

  /** Events waiting in the buffer. */
  get bufferedEvents(): number {
    return this.buffer.size;
  }
}
