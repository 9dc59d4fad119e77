import {
  ContainerModule, Gru, InMemoryLogger, InMemoryMetrics, InMemoryStateStore, InvalidComponentError, Pipeline, WorkflowInterruptedError,
  describeComponent, pipeline,
  type AnyMinionClass, type GruOptions, type StateStore, type WorkflowOutcome,
} from '../index';

/** One workflow as the harness saw it end. */
export interface WorkflowReport {
  workflowId: string;
  outcome: WorkflowOutcome;
  event: unknown;
  /** The context as the workflow left it. */
  context: unknown;
  /** The error of a failed or aborted workflow. */
  error?: unknown;
}

/** Options of {@link runMinion}. */
export interface HarnessOptions {
  /** The minion class under test (decorated with `@minion`). */
  minion: AnyMinionClass;
  /** Events to feed, in order. Default none (a resume-only run). */
  events?: unknown[];
  /** Test doubles by resource class: `[[PriceApi, fakeApi]]`; each replaces the real resource. */
  resources?: Array<[Function, object]>;
  /** Inline config for the minion. */
  config?: object;
  /** The store; default a new `InMemoryStateStore`. Pass the previous run's store to resume. */
  stateStore?: StateStore;
  /**
   * Interrupts every workflow right before this step (after its checkpoint is saved): it
   * ends `interrupted` and a later run with the same store resumes it at this step.
   */
  interruptBefore?: string;
  /** Further Gru options (maxInFlight, persistence policy...). */
  gruOptions?: Omit<GruOptions, 'stateStore' | 'logger' | 'metrics' | 'hooks'>;
}

/** What {@link runMinion} returns. */
export interface HarnessResult {
  orchestrationId: string;
  /** Saved workflows this run resumed. */
  resumedWorkflows: number;
  /** Every workflow of this run, in the order they ended. */
  workflows: WorkflowReport[];
  store: StateStore;
  logger: InMemoryLogger;
  metrics: InMemoryMetrics;
}

/**
 * Runs one minion on given events with given resources in a Gru of its own (in-memory logger
 * and metrics; no other Gru may be live), until every workflow has ended, and reports each
 * workflow's outcome and final context. With `interruptBefore` it stops the workflows between
 * two steps; run again with the same `stateStore` to resume them.
 * @throws InvalidComponentError for a class that is not a @minion; whatever `startOrchestration` throws for it.
 */
export async function runMinion(options: HarnessOptions): Promise<HarnessResult> {
  const description = describeComponent(options.minion);
  if (!description || description.kind !== 'minion') {
    throw new InvalidComponentError(`${options.minion.name} is not decorated with @minion: runMinion runs a minion class; add @minion({ event, context }).`);
  }
  const events = options.events ?? [];
  const store = options.stateStore ?? new InMemoryStateStore();
  const logger = new InMemoryLogger();
  const metrics = new InMemoryMetrics();
  const workflows: WorkflowReport[] = [];
  let parked = 0;
  let wake = (): void => {};

  @pipeline({ event: description.event! })
  class HarnessFeed extends Pipeline<unknown> {
    async *events() { yield* events; }
  }

  const modules = options.resources?.length
    ? [new ContainerModule(({ bind }) => { for (const [cls, value] of options.resources!) bind(cls as never).toConstantValue(value as never); })]
    : [];
  const gru = await Gru.create({
    ...options.gruOptions,
    stopGraceMs: options.gruOptions?.stopGraceMs ?? 10,
    modules: [...(options.gruOptions?.modules ?? []), ...modules],
    stateStore: store, logger, metrics,
    hooks: {
      beforeStep: options.interruptBefore === undefined ? undefined : async (info) => {
        if (info.step !== options.interruptBefore) return;
        parked++;
        wake();
        await new Promise((_, reject) => info.signal.addEventListener('abort', () => reject(new WorkflowInterruptedError('interrupted by the harness'))));
      },
      workflowEnded: (end) => {
        if (end.outcome === 'interrupted' && options.interruptBefore !== undefined) parked--;
        workflows.push({ workflowId: end.workflowId, outcome: end.outcome, event: end.event, context: end.context, error: end.error });
        wake();
      },
    },
  });
  try {
    const started = await gru.startOrchestration({ pipeline: HarnessFeed, minion: options.minion as never, config: options.config as never });
    const expected = events.length + started.resumedWorkflows;
    await new Promise<void>((resolve) => {
      wake = () => { if (workflows.length + parked >= expected) resolve(); };
      wake();
    });
    await gru.stopOrchestration(started.orchestrationId);
    return { orchestrationId: started.orchestrationId, resumedWorkflows: started.resumedWorkflows, workflows, store, logger, metrics };
  } finally {
    await gru.shutdown();
  }
}
