/** Log levels, lowest first. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'critical';

/** Numeric order of {@link LogLevel}s, for level filtering. */
export const LOG_LEVEL_ORDER: Readonly<Record<LogLevel, number>> = { debug: 10, info: 20, warn: 30, error: 40, critical: 50 };

/**
 * Port: structured logging. Also the Inversify token.
 * `message` is an event-style phrase ("Workflow started"); `fields` carry identities and details.
 * The runtime calls `log` through a guard: a logger that throws never breaks the runtime.
 */
export abstract class Logger {
  /** Opens files or connections; called by `Gru.create` before anything logs, within `startupTimeoutMs`. */
  startup?(): Promise<void>;
  /** Flushes and closes; called last at `Gru.shutdown()`, after every component stopped. */
  shutdown?(): Promise<void>;
  /**
   * Writes one record. `level` is one of {@link LogLevel}; `message` a constant phrase;
   * `fields` the identities and details (`orchestration_id`, `workflow_id`, `error`...).
   * A rejection or a throw is reported on stderr (rate-limited), never passed to the caller.
   */
  abstract log(level: LogLevel, message: string, fields?: Record<string, unknown>): void | Promise<void>;
}
