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
  startup?(): Promise<void>;
  shutdown?(): Promise<void>;
  abstract log(level: LogLevel, message: string, fields?: Record<string, unknown>): void | Promise<void>;
}
