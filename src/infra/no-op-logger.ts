import { Logger, type LogLevel } from '../core/ports/logger';

/** A {@link Logger} that discards every line. */
export class NoOpLogger extends Logger {
  /** Does nothing. */
  log(_level: LogLevel, _message: string, _fields?: Record<string, unknown>): void {}
}
