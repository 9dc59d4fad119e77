/**
 * The error hierarchy of Minions. Every error the runtime raises extends {@link MinionsError}
 * and carries a stable `code` (one of `ERROR_CODES`, held by the class as `static code`) and a
 * `retryable` flag. This file holds the errors of starting, validating and running
 * orchestrations; it re-exports the rest, so it is the one place to import errors from.
 */
import { MinionsError, type MinionsErrorOptions } from './minions-error';

export { MinionsError, type MinionsErrorOptions } from './minions-error';
export * from './usage-errors';
export * from './runtime-errors';

/** `Gru.create` while another Gru is live in this process. */
export class GruAlreadyRunningError extends MinionsError {
  static readonly code = 'MINIONS_GRU_ALREADY_RUNNING';
  constructor(message = 'A Gru is already running in this process: call shutdown() on it before creating another.') {
    super(GruAlreadyRunningError.code, message);
  }
}

/**
 * A class that cannot run: no steps, shadowed accessors, unpersistable data class, missing
 * constructor metadata, an identity claimed by another class, a bad id. The message names the class.
 */
export class InvalidComponentError extends MinionsError {
  static readonly code = 'MINIONS_INVALID_COMPONENT';
  constructor(message: string, options?: MinionsErrorOptions) {
    super(InvalidComponentError.code, message, options);
  }
}

/** Resources that depend on each other in a cycle; `path` lists it, first element repeated at the end. */
export class ResourceCycleError extends MinionsError {
  static readonly code = 'MINIONS_RESOURCE_CYCLE';
  /** Class names along the cycle, e.g. `['A', 'B', 'A']`. */
  readonly path: string[];
  constructor(path: string[]) {
    super(ResourceCycleError.code, `Resource dependency cycle: ${path.join(' -> ')}. Break the cycle or inject one side lazily.`);
    this.path = path;
  }
}

/** A config value that does not fit the minion's config class: names file, key path and expected kind. */
export class ConfigError extends MinionsError {
  static readonly code = 'MINIONS_CONFIG';
  /** Config file, when the config came from one. */
  readonly file?: string;
  /** Dotted key path, e.g. `limits.max`. */
  readonly key?: string;
  /** The expected kind, e.g. `number`. */
  readonly expected?: string;
  constructor(message: string, details: { file?: string; key?: string; expected?: string; cause?: unknown } = {}) {
    super(ConfigError.code, message, { cause: details.cause });
    this.file = details.file;
    this.key = details.key;
    this.expected = details.expected;
  }
}

/** Saved workflows of an orchestration no longer fit the current event/context classes or step list. */
export class WorkflowContextTypeMismatchError extends MinionsError {
  static readonly code = 'MINIONS_WORKFLOW_CONTEXT_TYPE_MISMATCH';
  /** How many saved rows do not fit. */
  readonly count: number;
  constructor(message: string, count: number, options?: MinionsErrorOptions) {
    super(WorkflowContextTypeMismatchError.code, message, options);
    this.count = count;
  }
}

/** A start that failed after construction began; `cause` is the original error. */
export class OrchestrationStartError extends MinionsError {
  static readonly code = 'MINIONS_ORCHESTRATION_START';
  /** Errors raised while rolling the failed start back; never substituted for `cause`. */
  readonly cleanupErrors: Error[];
  constructor(message: string, cause: unknown, cleanupErrors: Error[] = []) {
    super(OrchestrationStartError.code, message, { cause });
    this.cleanupErrors = cleanupErrors;
  }
}

/** `stopOrchestration`/`whenIdle` with an id that is not running. */
export class OrchestrationNotFoundError extends MinionsError {
  static readonly code = 'MINIONS_ORCHESTRATION_NOT_FOUND';
  /** The id asked for. */
  readonly orchestrationId: string;
  constructor(orchestrationId: string) {
    super(OrchestrationNotFoundError.code, `Orchestration ${orchestrationId} is not running in this Gru.`);
    this.orchestrationId = orchestrationId;
  }
}

/** A resource asked for by class or identity (`restartResource`) is not running in this Gru. */
export class ResourceNotFoundError extends MinionsError {
  static readonly code = 'MINIONS_RESOURCE_NOT_FOUND';
  /** The class name or identity asked for. */
  readonly resource: string;
  constructor(resource: string) {
    super(ResourceNotFoundError.code, `Resource ${resource} is not running in this Gru (give its class, its id, or its class name).`);
    this.resource = resource;
  }
}

/** No saved workflow has the id asked for (`retryWorkflow`, `deleteWorkflow`). */
export class WorkflowNotFoundError extends MinionsError {
  static readonly code = 'MINIONS_WORKFLOW_NOT_FOUND';
  /** The id asked for. */
  readonly workflowId: string;
  constructor(workflowId: string) {
    super(WorkflowNotFoundError.code, `No saved workflow has id ${workflowId}.`);
    this.workflowId = workflowId;
  }
}

/**
 * A value that the checkpoint codec cannot encode, or would not bring back as it is (data nested
 * deeper than 64 levels, a class instance whose methods a resume would lose); `path` is the field
 * path (e.g. `context.items[2]`). Not retryable: at a checkpoint it ends the workflow as failed and
 * its checkpoint is removed.
 */
export class SerializationError extends MinionsError {
  static readonly code = 'MINIONS_SERIALIZATION';
  /** Field path of the offending value. */
  readonly path: string;
  constructor(path: string, message: string, options?: MinionsErrorOptions) {
    super(SerializationError.code, `${path}: ${message}`, { ...options, retryable: false });
    this.path = path;
  }
}

/**
 * Thrown from a step to end the workflow as **aborted**: an intentional outcome, not a failure. The checkpoint is deleted and `minion_workflow_aborted_total` counts it.
 * It is control flow, often thrown for most events, so it captures no stack trace (capturing
 * one costs microseconds); `reason` is what the "Workflow aborted" log line shows.
 */
export class AbortWorkflow extends MinionsError {
  static readonly code = 'MINIONS_ABORT_WORKFLOW';
  constructor(reason = 'workflow aborted') {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(AbortWorkflow.code, reason);
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
  static readonly code = 'MINIONS_STARTUP_TIMEOUT';
  /** Class name of the component. */
  readonly component: string;
  /** `resource`, `pipeline`, `minion`, ... */
  readonly kind: ComponentKind;
  /** Always `startup`. */
  readonly stage: LifecycleStage = 'startup';
  /** The deadline that passed, milliseconds. */
  readonly timeoutMs: number;
  constructor(component: string, kind: ComponentKind, timeoutMs: number) {
    super(StartupTimeoutError.code, `${kind} ${component}: startup() did not finish within ${timeoutMs} ms (stage startup). ` +
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
  static readonly code = 'MINIONS_SHUTDOWN_TIMEOUT';
  /** Class name of the component. */
  readonly component: string;
  /** `resource`, `pipeline`, `minion`, ... */
  readonly kind: ComponentKind;
  /** The stage that hung: `shutdown` or `run`. */
  readonly stage: LifecycleStage;
  /** The deadline that passed, milliseconds. */
  readonly timeoutMs: number;
  constructor(component: string, kind: ComponentKind, timeoutMs: number, stage: LifecycleStage = 'shutdown') {
    super(ShutdownTimeoutError.code, `${kind} ${component}: ${stage === 'run' ? 'run()' : 'shutdown()'} did not finish within ${timeoutMs} ms (stage ${stage}); ` +
      'the runtime went on without it. Make it honour its AbortSignal and settle.');
    this.component = component;
    this.kind = kind;
    this.stage = stage;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * A state store that another process holds: a store file is open for one process at a time, so
 * a second Gru on the same file fails its start (`SqliteStateStore.startup()`, within
 * `Gru.create`). Names the file and, when known, the holder.
 */
export class StateStoreLockedError extends MinionsError {
  static readonly code = 'MINIONS_STATE_STORE_LOCKED';
  /** The store's file (or, for a server store, its name). */
  readonly file: string;
  /** Process id of the holder, when the store records it. */
  readonly holderPid?: number;
  /** Host name of the holder, when the store records it. */
  readonly holderHost?: string;
  constructor(details: { file: string; pid?: number; host?: string }, options?: MinionsErrorOptions) {
    const holder = details.pid === undefined ? 'another process' : `process ${details.pid}${details.host ? ` on ${details.host}` : ''}`;
    super(StateStoreLockedError.code, `State store ${details.file} is held by ${holder}. Stop that process, ` +
      'or give this Gru a store of its own (another path).', options);
    this.file = details.file;
    this.holderPid = details.pid;
    this.holderHost = details.host;
  }
}

/** What is wrong with a state store's file, as {@link StateStoreOpenError} reports it. */
export type StateStoreFileProblem =
  /** SQLite found the file damaged (`SQLITE_CORRUPT`): cut short, overwritten, or a disk fault. */
  | 'damaged'
  /** The file is not a SQLite database (`SQLITE_NOTADB`). */
  | 'not-a-database'
  /** The file, its `-wal` file or its directory cannot be written (`EROFS`, `EACCES`, `SQLITE_READONLY`). */
  | 'read-only'
  /** A directory is where the file should be. */
  | 'directory'
  /** A part of the path that should be a directory is a file. */
  | 'not-a-directory'
  /** The file system is full (`SQLITE_FULL`, `ENOSPC`). */
  | 'disk-full'
  /** Anything else; the message gives SQLite's (or the system's, or the server's) words and code. */
  | 'cannot-open'
  /** A server store: nothing answers at its host and port (connection refused, host not found). */
  | 'unreachable'
  /** A server store: no answer within the connection timeout. */
  | 'timeout'
  /** A server store: the server refused the user or its password. */
  | 'auth-failed'
  /** A server store: the database named does not exist. */
  | 'no-database'
  /** A server store: the user lacks a privilege the store needs (create the table, read or write it). */
  | 'permission-denied'
  /** A server store: the client library it needs is not installed (e.g. `pg` for PostgreSQL). */
  | 'driver-missing';

/** Where a server store (PostgreSQL) connects, as {@link StateStoreOpenError.server} names it. No password. */
export interface StateStoreServer {
  host: string;
  port: number;
  database: string;
  user: string;
  /** The store's table, schema-qualified when a schema was given. */
  table: string;
}

/**
 * A state store's file cannot be opened (at `startup()`, so within `Gru.create`) or read. The
 * message names the file, what is wrong with it and what to do; `cause` is the original error
 * (a better-sqlite3 `SqliteError`, or a file-system error). Not retryable: the file must change first.
 *
 * For a server store (`PostgresStateStore`) the same error reports a server it cannot use at
 * `startup()`: `file` is a description of the server (`postgres://user@host:port/database table t`),
 * {@link StateStoreOpenError.server} its parts, and `sqliteCode` the server's SQLSTATE (`28P01`, `3D000`,
 * `42501`, ...) or the system's error code (`ECONNREFUSED`, `ENOTFOUND`, ...).
 */
export class StateStoreOpenError extends MinionsError {
  static readonly code = 'MINIONS_STATE_STORE_OPEN';
  /** The store's file, as an absolute path. */
  readonly file: string;
  /** What is wrong with it. */
  readonly problem: StateStoreFileProblem;
  /**
   * SQLite's error code (`SQLITE_CORRUPT`, `SQLITE_NOTADB`, `SQLITE_CANTOPEN`, `SQLITE_READONLY`, ...),
   * or the system's (`EROFS`, `ENOTDIR`, ...) for a failure before SQLite opened the file; `UNKNOWN` without one.
   */
  readonly sqliteCode: string;
  /** For a server store: host, port, database, user and table it tried. Undefined for a file store. */
  readonly server?: StateStoreServer;
  constructor(details: { file: string; problem: StateStoreFileProblem; sqliteCode: string; server?: StateStoreServer }, message: string,
    options?: Omit<MinionsErrorOptions, 'retryable'>) {
    super(StateStoreOpenError.code, message, { ...options, retryable: false });
    this.file = details.file;
    this.problem = details.problem;
    this.sqliteCode = details.sqliteCode;
    this.server = details.server;
  }
}

/**
 * What is wrong with a JetStream source, as {@link JetStreamError} names it: `driver-missing` (the
 * `nats` package is not installed), `unreachable` (no server answered, or the login was refused),
 * `no-jetstream` (the server runs without JetStream, `nats-server -js`), `no-stream` and
 * `no-consumer` (missing, and `create` is off), `not-pull-consumer` (the durable exists but is a
 * push consumer or does not acknowledge explicitly), `failed` (any other refusal; the cause is attached).
 */
export type JetStreamProblem = 'driver-missing' | 'unreachable' | 'no-jetstream' | 'no-stream' | 'no-consumer' | 'not-pull-consumer' | 'failed';

/** A `JetStreamPipeline` cannot use its server, stream or consumer; the message names all three and what to do. */
export class JetStreamError extends MinionsError {
  static readonly code = 'MINIONS_JETSTREAM';
  /** The server URL(s), comma-separated. */
  readonly servers: string;
  readonly stream: string;
  /** The durable consumer's name. */
  readonly consumer: string;
  readonly problem: JetStreamProblem;
  constructor(details: { servers: string; stream: string; consumer: string; problem: JetStreamProblem }, message: string,
    options?: Omit<MinionsErrorOptions, 'retryable'>) {
    super(JetStreamError.code, `JetStream ${details.servers} stream ${details.stream} consumer ${details.consumer}: ${message}`,
      { ...options, retryable: details.problem === 'unreachable' });
    this.servers = details.servers;
    this.stream = details.stream;
    this.consumer = details.consumer;
    this.problem = details.problem;
  }
}

/**
 * The disk stayed full (SQLITE_FULL, ENOSPC) longer than `diskFullTimeoutMs` (default 300,000
 * ms): every orchestration was stopped with this error, and its workflows kept their
 * checkpoints. Free space where `location` says, then start again: they resume. Retryable.
 */
export class DiskFullError extends MinionsError {
  static readonly code = 'MINIONS_DISK_FULL';
  /** What could not be written: the state store's file, steps (`step <name> of <Minion>`), comma-separated. */
  readonly location: string;
  /** How long the disk had been full, milliseconds. */
  readonly fullForMs: number;
  constructor(location: string, fullForMs: number, options?: MinionsErrorOptions) {
    super(DiskFullError.code, `The disk is full: ${location} could not be written for ${Math.round(fullForMs / 1000)} s ` +
      '(database or disk is full / no space left on device). Free space on that filesystem, then start again: ' +
      'unfinished workflows kept their checkpoints and resume.', { retryable: true, ...options });
    this.location = location;
    this.fullForMs = fullForMs;
  }
}

/**
 * The worker thread or child process hosting an isolated resource (`@resource({ isolation })`)
 * died while a call was in flight; that call rejects with this error. Retryable: the host is
 * restarted and the same call may succeed on a later attempt (a step with `@step({ retry })`, or
 * the workflow resumed). Also the failure of the resource itself once it crashed `maxCrashes`
 * times within `crashWindowMs` (`gaveUp`): its dependent orchestrations stop.
 */
export class IsolatedResourceCrashedError extends MinionsError {
  static readonly code = 'MINIONS_ISOLATED_RESOURCE_CRASHED';
  /** Class name of the resource. */
  readonly resource: string;
  /** Identity of the resource (its id, or its fallback address), when known. */
  readonly identity?: string;
  /** How it was isolated. */
  readonly isolation: 'worker' | 'process';
  /** Exit code of the host, when it exited with one. */
  readonly exitCode?: number | null;
  /** Signal that ended the host, when one did. */
  readonly signal?: string | null;
  /** Why the runtime ended the host, when it did (memory bound passed), else undefined. */
  readonly reason?: string;
  /** Method of the call that was in flight, when this error rejects a call. */
  readonly method?: string;
  /** True when the crash budget is spent: the resource is not restarted again. */
  readonly gaveUp: boolean;
  constructor(resource: string, details: {
    isolation: 'worker' | 'process'; exitCode?: number | null; signal?: string | null;
    identity?: string; reason?: string; method?: string; gaveUp?: boolean;
  }, options?: Omit<MinionsErrorOptions, 'retryable'>) {
    const how = [details.signal ? `signal ${details.signal}` : details.exitCode == null ? 'no exit code' : `exit code ${details.exitCode}`,
      ...(details.reason ? [details.reason] : [])].join(', ');
    const who = `Isolated resource ${resource}${details.identity && details.identity !== resource ? ` (${details.identity})` : ''}`;
    const message = details.gaveUp
      ? `${who} in a ${details.isolation} crashed too often (last: ${how}) and is not restarted again: ` +
        'its dependents stop. Look at the resource\'s own logs (out of memory, a native fault), then start them again.'
      : `${who} in a ${details.isolation} crashed ${details.method ? `during a call to ${details.method}() ` : ''}(${how}). ` +
        'It is restarted and the call may be retried; if it crashes again, look at the resource\'s own logs (out of memory, a native fault).';
    super(IsolatedResourceCrashedError.code, message, { ...options, retryable: true });
    this.resource = resource;
    this.identity = details.identity;
    this.isolation = details.isolation;
    this.exitCode = details.exitCode;
    this.signal = details.signal;
    this.reason = details.reason;
    this.method = details.method;
    this.gaveUp = details.gaveUp ?? false;
  }
}
