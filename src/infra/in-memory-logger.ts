import { LOG_LEVEL_ORDER, Logger, type LogLevel } from '../core/ports/logger';

/** One line recorded by {@link InMemoryLogger}. `fields` is a shallow copy of what was logged (`{}` when none). */
export interface LogEntry {
  level: LogLevel;
  message: string;
  fields: Record<string, unknown>;
}

/** Options of {@link InMemoryLogger}. */
export interface InMemoryLoggerOptions {
  /** Lowest level recorded. Default `'debug'` (everything). */
  level?: LogLevel;
}

/**
 * A {@link Logger} that keeps every line in {@link InMemoryLogger.entries}, for tests:
 * `expect(log.find('Workflow failed')?.fields.error_type).toBe('TypeError')`.
 * Field values are kept as given (errors stay `Error` objects).
 */
export class InMemoryLogger extends Logger {
  /** Every recorded line, oldest first. */
  readonly entries: LogEntry[] = [];
  private readonly threshold: number;

  constructor(options: InMemoryLoggerOptions = {}) {
    super();
    this.threshold = LOG_LEVEL_ORDER[options.level ?? 'debug'];
  }

  /** Records the line if `level` is at or above the configured level. */
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if ((LOG_LEVEL_ORDER[level] ?? Number.POSITIVE_INFINITY) < this.threshold) return;
    this.entries.push({ level, message, fields: { ...fields } });
  }

  /** The first line whose message equals `message` (or matches it, for a RegExp). */
  find(message: string | RegExp, level?: LogLevel): LogEntry | undefined {
    return this.entries.find((entry) => matches(entry, message, level));
  }

  /** Every line whose message equals `message` (or matches it), optionally only at `level`. */
  findAll(message: string | RegExp, level?: LogLevel): LogEntry[] {
    return this.entries.filter((entry) => matches(entry, message, level));
  }

  /** Every line at `level` or above. */
  atOrAbove(level: LogLevel): LogEntry[] {
    return this.entries.filter((entry) => LOG_LEVEL_ORDER[entry.level] >= LOG_LEVEL_ORDER[level]);
  }

  /** Forgets every recorded line. */
  clear(): void {
    this.entries.length = 0;
  }
}

function matches(entry: LogEntry, message: string | RegExp, level?: LogLevel): boolean {
  if (level !== undefined && entry.level !== level) return false;
  return typeof message === 'string' ? entry.message === message : message.test(entry.message);
}
