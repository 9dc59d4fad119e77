/**
 * Errors of calling Minions the wrong way: a bad option or argument, a value read where it is
 * not bound, a step called by hand, a Gru or store used when closed. Each message names the
 * thing and says what to do.
 */
import { MinionsError, type MinionsErrorOptions } from './minions-error';

/** A value for messages: strings quoted, objects by kind, never a dump of their contents. */
function shownValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

/**
 * An option with a value it cannot take (`GruOptions`, an adapter's options, an orchestration
 * spec). The message reads `<option> must be <expected>, got <value>`.
 */
export class InvalidOptionError extends MinionsError {
  static readonly code = 'MINIONS_INVALID_OPTION';
  /** Where the option is and its name, e.g. `GruOptions.bufferSize`. */
  readonly option: string;
  /** The value given. */
  readonly value: unknown;
  /** What it must be, e.g. `a positive number`. */
  readonly expected: string;
  constructor(option: string, value: unknown, expected: string) {
    super(InvalidOptionError.code, `${option} must be ${expected}, got ${shownValue(value)}.`);
    this.option = option;
    this.value = value;
    this.expected = expected;
  }
}

/** A function or method called with an argument of the wrong type or range; the message names both. */
export class InvalidArgumentError extends MinionsError {
  static readonly code = 'MINIONS_INVALID_ARGUMENT';
  constructor(message: string, options?: MinionsErrorOptions) {
    super(InvalidArgumentError.code, message, options);
  }
}

/** A method of a Gru called after `shutdown()`. */
export class GruShutDownError extends MinionsError {
  static readonly code = 'MINIONS_GRU_SHUT_DOWN';
  constructor(message = 'This Gru has shut down: create a new one with Gru.create().') {
    super(GruShutDownError.code, message);
  }
}

/** A state store written or read before its `startup()` or after its `shutdown()`; the message names the store. */
export class StateStoreClosedError extends MinionsError {
  static readonly code = 'MINIONS_STATE_STORE_CLOSED';
  constructor(message: string) {
    super(StateStoreClosedError.code, message);
  }
}

/** `this.event`, `this.context`, `this.workflow` or `this.signal` of a minion read outside a running step. */
export class OutsideWorkflowError extends MinionsError {
  static readonly code = 'MINIONS_OUTSIDE_WORKFLOW';
  /** The property read. */
  readonly property: 'event' | 'context' | 'workflow' | 'signal';
  constructor(property: 'event' | 'context' | 'workflow' | 'signal') {
    super(OutsideWorkflowError.code, `No ${property} is bound here: this.${property} is readable only inside a @step of a running workflow. ` +
      'Read it in a step, and pass what startup(), run() or a spawned task needs as an argument.');
    this.property = property;
  }
}

/** `this.config` of a minion read before its config was bound (in the constructor). */
export class ConfigNotBoundError extends MinionsError {
  static readonly code = 'MINIONS_CONFIG_NOT_BOUND';
  constructor(className: string) {
    super(ConfigNotBoundError.code, `${className}.config is not bound yet: it is readable from startup() on. Move the code that reads it out of the constructor.`);
  }
}

/** A step called directly from another step of the same minion; the runtime alone runs steps, in order. */
export class StepCalledFromStepError extends MinionsError {
  static readonly code = 'MINIONS_STEP_CALLED_FROM_STEP';
  /** `Class.step` that was called. */
  readonly called: string;
  /** The step that called it. */
  readonly caller: string;
  constructor(className: string, called: string, caller: string) {
    super(StepCalledFromStepError.code, `${className}.${called} cannot be called from within step ${caller}: the runtime owns step order. ` +
      'Move shared code into a plain method.');
    this.called = `${className}.${called}`;
    this.caller = caller;
  }
}

/**
 * A metric emitted or read against its definition: the wrong kind, a label it does not have,
 * a negative counter increment, a non-finite observation.
 */
export class MetricContractError extends MinionsError {
  static readonly code = 'MINIONS_METRIC_CONTRACT';
  constructor(message: string) {
    super(MetricContractError.code, message);
  }
}
