/**
 * The error hierarchy of Minions. Every error the runtime raises extends {@link MinionsError}
 * and carries a stable `code` and a `retryable` flag (API.md, "Errors").
 */

/** Options common to every {@link MinionsError}. */
export interface MinionsErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Whether trying the same operation again may succeed. Default `false`. */
  retryable?: boolean;
}

/**
 * Base class of every error thrown by Minions.
 * `code` is a stable string such as `'MINIONS_INVALID_COMPONENT'`; test with {@link MinionsError.is}
 * when several copies of the package may be loaded (where `instanceof` fails).
 */
export class MinionsError extends Error {
  /** Stable machine-readable code, `MINIONS_*`. */
  readonly code: string;
  /** Whether retrying the failed operation may succeed. */
  readonly retryable: boolean;

  constructor(code: string, message: string, options: MinionsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  /** True for any MinionsError, from this or another loaded copy of the package. */
  static is(value: unknown): value is MinionsError {
    return value instanceof MinionsError ||
      (value instanceof Error && String((value as unknown as { code?: unknown }).code ?? '').startsWith('MINIONS_'));
  }
}

/** `Gru.create` while another Gru is live in this process (SEMANTICS 2). */
export class GruAlreadyRunningError extends MinionsError {
  constructor(message = 'A Gru is already running in this process: call shutdown() on it before creating another.') {
    super('MINIONS_GRU_ALREADY_RUNNING', message);
  }
}

/**
 * A class that cannot run: no steps, shadowed accessors, unpersistable data class, missing
 * constructor metadata, an identity claimed by another class, a bad id. The message names the class.
 */
export class InvalidComponentError extends MinionsError {
  constructor(message: string, options?: MinionsErrorOptions) {
    super('MINIONS_INVALID_COMPONENT', message, options);
  }
}

/** Resources that depend on each other in a cycle; `path` lists it, first element repeated at the end. */
export class ResourceCycleError extends MinionsError {
  /** Class names along the cycle, e.g. `['A', 'B', 'A']`. */
  readonly path: string[];
  constructor(path: string[]) {
    super('MINIONS_RESOURCE_CYCLE', `Resource dependency cycle: ${path.join(' -> ')}. Break the cycle or inject one side lazily.`);
    this.path = path;
  }
}

/** A config value that does not fit the minion's config class: names file, key path and expected kind. */
export class ConfigError extends MinionsError {
  /** Config file, when the config came from one. */
  readonly file?: string;
  /** Dotted key path, e.g. `limits.max`. */
  readonly key?: string;
  /** The expected kind, e.g. `number`. */
  readonly expected?: string;
  constructor(message: string, details: { file?: string; key?: string; expected?: string; cause?: unknown } = {}) {
    super('MINIONS_CONFIG', message, { cause: details.cause });
    this.file = details.file;
    this.key = details.key;
    this.expected = details.expected;
  }
}

/** Saved workflows of an orchestration no longer fit the current event/context classes or step list. */
export class WorkflowContextTypeMismatchError extends MinionsError {
  /** How many saved rows do not fit. */
  readonly count: number;
  constructor(message: string, count: number, options?: MinionsErrorOptions) {
    super('MINIONS_WORKFLOW_CONTEXT_TYPE_MISMATCH', message, options);
    this.count = count;
  }
}

/** A start that failed after construction began; `cause` is the original error (SEMANTICS 7). */
export class OrchestrationStartError extends MinionsError {
  /** Errors raised while rolling the failed start back; never substituted for `cause`. */
  readonly cleanupErrors: Error[];
  constructor(message: string, cause: unknown, cleanupErrors: Error[] = []) {
    super('MINIONS_ORCHESTRATION_START', message, { cause });
    this.cleanupErrors = cleanupErrors;
  }
}

/** `stopOrchestration`/`whenIdle` with an id that is not running. */
export class OrchestrationNotFoundError extends MinionsError {
  /** The id asked for. */
  readonly orchestrationId: string;
  constructor(orchestrationId: string) {
    super('MINIONS_ORCHESTRATION_NOT_FOUND', `Orchestration ${orchestrationId} is not running in this Gru.`);
    this.orchestrationId = orchestrationId;
  }
}

/** A value that the checkpoint codec cannot encode; `path` is the field path (e.g. `context.items[2]`). Not retryable. */
export class SerializationError extends MinionsError {
  /** Field path of the offending value. */
  readonly path: string;
  constructor(path: string, message: string, options?: MinionsErrorOptions) {
    super('MINIONS_SERIALIZATION', `${path}: ${message}`, { ...options, retryable: false });
    this.path = path;
  }
}

/**
 * Thrown from a step to end the workflow as **aborted**: an intentional outcome, not a failure
 * (SEMANTICS 4). The checkpoint is deleted and `minion_workflow_aborted_total` counts it.
 * It is control flow, often thrown for most events, so it captures no stack trace (capturing
 * one costs microseconds); `reason` is what the "Workflow aborted" log line shows.
 */
export class AbortWorkflow extends MinionsError {
  constructor(reason = 'workflow aborted') {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super('MINIONS_ABORT_WORKFLOW', reason);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

/** What kind of component a lifecycle error is about. */
export type ComponentKind = 'resource' | 'pipeline' | 'minion' | 'orchestration' | 'store' | 'logger' | 'metrics';

/** The lifecycle stage an error happened in. */
export type LifecycleStage = 'construct' | 'startup' | 'run' | 'shutdown';

/**
 * A component's `startup()` did not settle within `startupTimeoutMs` (default 30,000 ms). The
 * start fails and is rolled back; the message names the class, its kind and the stage.
 */
export class StartupTimeoutError extends MinionsError {
  /** Class name of the component. */
  readonly component: string;
  /** `resource`, `pipeline`, `minion`, ... */
  readonly kind: ComponentKind;
  /** Always `startup`. */
  readonly stage: LifecycleStage = 'startup';
  /** The deadline that passed, milliseconds. */
  readonly timeoutMs: number;
  constructor(component: string, kind: ComponentKind, timeoutMs: number) {
    super('MINIONS_STARTUP_TIMEOUT', `${kind} ${component}: startup() did not finish within ${timeoutMs} ms (stage startup). ` +
      'Make startup() settle (a missing await on a connection that never opens is the usual cause), or raise startupTimeoutMs.', { retryable: true });
    this.component = component;
    this.kind = kind;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A component's stop (`shutdown()`, its owned tasks or its `run()`) did not settle within its
 * deadline; the runtime went on without it. The message names the class, its kind and the stage.
 */
export class ShutdownTimeoutError extends MinionsError {
  /** Class name of the component. */
  readonly component: string;
  /** `resource`, `pipeline`, `minion`, ... */
  readonly kind: ComponentKind;
  /** The stage that hung: `shutdown` or `run`. */
  readonly stage: LifecycleStage;
  /** The deadline that passed, milliseconds. */
  readonly timeoutMs: number;
  constructor(component: string, kind: ComponentKind, timeoutMs: number, stage: LifecycleStage = 'shutdown') {
    super('MINIONS_SHUTDOWN_TIMEOUT', `${kind} ${component}: ${stage === 'run' ? 'run()' : 'shutdown()'} did not finish within ${timeoutMs} ms (stage ${stage}); ` +
      'the runtime went on without it. Make it honour its AbortSignal and settle.');
    this.component = component;
    this.kind = kind;
    this.stage = stage;
    this.timeoutMs = timeoutMs;
  }
}
