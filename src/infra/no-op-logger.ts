import { Logger, type LogLevel } from '../core/ports/logger';

/**
 * A {@link Logger} that discards every line. Its `level` is `'off'`, so the runtime does not
 * even build the fields of the lines it would log.
 */
export class NoOpLogger extends Logger {
  /** Nothing is enabled. */
  readonly level = 'off' as const;

  /** Does nothing. */
  log(_level: LogLevel, _message: string, _fields?: Record<string, unknown>): void {}
}
