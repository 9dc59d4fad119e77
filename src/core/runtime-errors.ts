/**
 * Errors the runtime reports about running components and workflows: most are not thrown at the
 * caller but collected (`StopResult.errors`, `OrchestrationStartError.cleanupErrors`), logged,
 * or used to fail one orchestration while the rest go on.
 */
import { MinionsError, type MinionsErrorOptions } from './minions-error';

/** A component's `run(signal)` resolved before the component was stopped; the component is treated as failed. */
export class RunReturnedError extends MinionsError {
  static readonly code = 'MINIONS_RUN_RETURNED';
  /** Class name of the component. */
  readonly component: string;
  constructor(component: string) {
    super(RunReturnedError.code, `${component}.run returned before the component was stopped. ` +
      'run() should keep going until its signal aborts; put one-off work in startup().');
    this.component = component;
  }
}

/** Tasks started with `spawn()` that did not settle within the stop deadline after their signal aborted. */
export class TasksAbandonedError extends MinionsError {
  static readonly code = 'MINIONS_TASKS_ABANDONED';
  /** Class name of the component. */
  readonly component: string;
  /** How many tasks were still running. */
  readonly count: number;
  constructor(component: string, count: number) {
    super(TasksAbandonedError.code, `${component}: ${count} spawned task(s) ignored the stop signal and were left running. ` +
      'Make spawned work watch the signal it is given and return when it aborts.');
    this.component = component;
    this.count = count;
  }
}

/**
 * Workflows still running after `cancelTimeoutMs` when their orchestration stopped: they kept
 * their checkpoint and will never advance in this process.
 */
export class WorkflowsAbandonedError extends MinionsError {
  static readonly code = 'MINIONS_WORKFLOWS_ABANDONED';
  /** Class name of the minion. */
  readonly minion: string;
  /** How many workflows were abandoned. */
  readonly count: number;
  constructor(minion: string, count: number) {
    super(WorkflowsAbandonedError.code, `${minion}: ${count} workflow(s) ignored this.signal and were abandoned; ` +
      'restart the process to be sure they no longer run. Pass this.signal to the calls a step awaits.');
    this.minion = minion;
    this.count = count;
  }
}

/** User code threw or rejected with something that is not an `Error` (a string, say); `value` holds it. */
export class NonErrorThrownError extends MinionsError {
  static readonly code = 'MINIONS_NON_ERROR_THROWN';
  /** What was thrown. */
  readonly value: unknown;
  constructor(where: string, value: unknown) {
    super(NonErrorThrownError.code, `${where} threw a value that is not an Error (${describeThrown(value)}). Throw an Error, so that a stack trace shows where.`,
      { cause: value });
    this.value = value;
  }
}

function describeThrown(value: unknown): string {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return typeof value; // an object without a string form (a null prototype)
  }
}

/** `value` itself when it is an Error, else a {@link NonErrorThrownError} saying where it came from. */
export function asError(value: unknown, where: string): Error {
  return value instanceof Error ? value : new NonErrorThrownError(where, value);
}

/**
 * A push source (an Observable) delivered an event to a full subscriber buffer whose overflow
 * policy is `'error'`: that orchestration stops; the source and its other subscribers go on.
 */
export class BufferOverflowError extends MinionsError {
  static readonly code = 'MINIONS_BUFFER_OVERFLOW';
  /** The buffer's capacity (`bufferSize`). */
  readonly capacity: number;
  constructor(capacity: number) {
    super(BufferOverflowError.code, `Subscriber buffer overflow (capacity ${capacity}) under overflowPolicy 'error': the source pushes faster ` +
      'than the orchestration takes events. Raise bufferSize or maxInFlight, or choose overflowPolicy \'drop-oldest\'.');
    this.capacity = capacity;
  }
}

/**
 * A step or hook gave up because its workflow's signal aborted (the orchestration is stopping):
 * the workflow is interrupted, keeps its checkpoint and resumes on the next start.
 */
export class WorkflowInterruptedError extends MinionsError {
  static readonly code = 'MINIONS_WORKFLOW_INTERRUPTED';
  constructor(message = 'The workflow was interrupted: its signal aborted. It resumes from its checkpoint on the next start.', options?: MinionsErrorOptions) {
    super(WorkflowInterruptedError.code, message, options);
  }
}

/** An assumption of Minions about itself or a library it uses does not hold: a bug or an unsupported library version. */
export class InternalError extends MinionsError {
  static readonly code = 'MINIONS_INTERNAL';
  constructor(message: string, options?: MinionsErrorOptions) {
    super(InternalError.code, `${message}. This is a bug in Minions or an unsupported library version: please report it with this message.`, options);
  }
}

/**
 * `startOrchestration`/`startOrchestrations` was refused because the process's resident memory
 * is above the memory guard's soft limit (`GruOptions.memorySoftLimit` or `memorySoftLimitMiB`),
 * or has not yet fallen below the lower mark where the guard lifts. Nothing was constructed.
 * Retryable: the same start may succeed once memory falls below `resumeBelowBytes`.
 */
export class MemoryPressureError extends MinionsError {
  static readonly code = 'MINIONS_MEMORY_PRESSURE';
  /** Resident set size of the process when the start was refused, bytes. */
  readonly rssBytes: number;
  /** The soft limit, bytes. */
  readonly limitBytes: number;
  /** Where the soft limit comes from, e.g. `memorySoftLimitMiB` or `80% of the cgroup v2 limit ...`. */
  readonly limitSource: string;
  /** Starts are accepted again once RSS falls below this, bytes. */
  readonly resumeBelowBytes: number;
  constructor(details: { rssBytes: number; limitBytes: number; limitSource: string; resumeBelowBytes: number }, options?: Omit<MinionsErrorOptions, 'retryable'>) {
    const mib = (bytes: number): string => `${Math.round(bytes / 1048576)} MiB`;
    super(MemoryPressureError.code, `Not started: process memory (RSS ${mib(details.rssBytes)}) is above the memory ` +
      `guard's soft limit of ${mib(details.limitBytes)} (${details.limitSource}). New orchestrations start again once RSS ` +
      `is below ${mib(details.resumeBelowBytes)}. Retry later, lower maxInFlight or bufferSize, or raise the limit.`,
    { ...options, retryable: true });
    this.rssBytes = details.rssBytes;
    this.limitBytes = details.limitBytes;
    this.limitSource = details.limitSource;
    this.resumeBelowBytes = details.resumeBelowBytes;
  }
}
