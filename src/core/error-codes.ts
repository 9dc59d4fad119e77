/**
 * The one table of error codes: every `code` a Minions error can carry, with what it means.
 * Codes are stable (a new version may add codes, never rename one); each has exactly one error
 * class, whose `static code` is the code. `docs/reference/errors.md` says what to do about each.
 */
export const ERROR_CODES = Object.freeze({
  // Thrown on purpose by user code.
  MINIONS_ABORT_WORKFLOW: 'A step ended its workflow on purpose: the outcome is aborted, not failed.',

  // Bad input, found before anything runs.
  MINIONS_INVALID_OPTION: 'An option of Gru.create, an adapter or an orchestration spec has a value it cannot take.',
  MINIONS_INVALID_ARGUMENT: 'A function or method was called with an argument of the wrong type or range.',
  MINIONS_INVALID_COMPONENT: 'A minion, pipeline or resource class cannot run as declared (steps, fields, metadata, id, decorators).',
  MINIONS_RESOURCE_CYCLE: 'Resources depend on each other in a cycle.',
  MINIONS_CONFIG: 'A config value does not fit the minion\'s config class, or a config file cannot be read.',
  MINIONS_WORKFLOW_CONTEXT_TYPE_MISMATCH: 'Saved workflows no longer fit the minion\'s event, context or step list.',

  // The Gru and its orchestrations.
  MINIONS_GRU_ALREADY_RUNNING: 'Another Gru is live in this process.',
  MINIONS_GRU_SHUT_DOWN: 'A method was called on a Gru that has shut down.',
  MINIONS_ORCHESTRATION_START: 'Starting an orchestration failed after construction began; the cause is attached.',
  MINIONS_ORCHESTRATION_NOT_FOUND: 'No orchestration with that id runs in this Gru.',
  MINIONS_RESOURCE_NOT_FOUND: 'No resource with that class, id or class name runs in this Gru.',
  MINIONS_WORKFLOW_NOT_FOUND: 'No saved workflow has that id.',
  MINIONS_MEMORY_PRESSURE: 'A new orchestration was not started: process memory is above the memory guard\'s soft limit.',
  MINIONS_STARTUP_TIMEOUT: 'A component\'s startup() did not settle within its deadline.',
  MINIONS_SHUTDOWN_TIMEOUT: 'A component\'s shutdown() or run() did not settle within its deadline.',

  // Inside components and workflows.
  MINIONS_OUTSIDE_WORKFLOW: 'this.event, this.context, this.workflow or this.signal was read outside a running step.',
  MINIONS_CONFIG_NOT_BOUND: 'this.config was read before the minion\'s config was bound (before startup()).',
  MINIONS_STEP_CALLED_FROM_STEP: 'A step called another step directly; only the runtime runs steps.',
  MINIONS_WORKFLOW_INTERRUPTED: 'A workflow gave up because its signal aborted; it resumes from its checkpoint.',
  MINIONS_RUN_RETURNED: 'A component\'s run() settled before the component was stopped.',
  MINIONS_TASKS_ABANDONED: 'Tasks started with spawn() ignored the stop signal and were left running.',
  MINIONS_WORKFLOWS_ABANDONED: 'Workflows ignored this.signal at stop and were abandoned.',
  MINIONS_NON_ERROR_THROWN: 'User code threw or rejected with a value that is not an Error.',
  MINIONS_BUFFER_OVERFLOW: 'A push source overflowed a subscriber buffer whose overflow policy is error.',

  // Persistence.
  MINIONS_SERIALIZATION: 'A value in a workflow\'s event or context cannot be checkpointed.',
  MINIONS_CHECKPOINT_DECODE: 'A stored blob is not a checkpoint this version can read.',
  MINIONS_STATE_STORE_CLOSED: 'A state store was used before startup() or after shutdown().',
  MINIONS_STATE_STORE_LOCKED: 'Another process holds the state store.',
  MINIONS_STATE_STORE_OPEN: 'A state store\'s file cannot be opened or read (damaged, not a database, read-only, a directory, a full disk), or its server cannot be used (unreachable, login refused, no database, missing privileges).',
  MINIONS_DISK_FULL: 'The disk stayed full past diskFullTimeoutMs: the orchestrations were stopped, their workflows kept.',

  // Sources.
  MINIONS_JETSTREAM: 'A JetStreamPipeline cannot use its NATS server, stream or durable consumer (missing package, unreachable, no JetStream, missing or wrong consumer).',

  // Resources.
  MINIONS_ISOLATED_RESOURCE_CRASHED: 'The worker or process hosting an isolated resource died during a call.',

  // Observability, tooling and tests.
  MINIONS_METRIC_CONTRACT: 'A metric was emitted or read against its definition (kind, labels, value).',
  MINIONS_INJECTED_FAULT: 'A fault injected by FaultInjectingStateStore (tests).',
  MINIONS_CLI: 'A minions command failed; its exitCode is 1 (failure) or 2 (usage).',
  MINIONS_INTERNAL: 'An assumption of Minions about itself or a library it uses does not hold.',
} as const);

/** Every code of {@link ERROR_CODES}, e.g. `'MINIONS_ABORT_WORKFLOW'`. */
export type ErrorCode = keyof typeof ERROR_CODES;
