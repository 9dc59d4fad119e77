import { LOG_LEVEL_ORDER, type Logger, type LogLevel } from '../ports/logger';
import { RepeatLimiter } from './repeat-limiter';

/** Fields of an error, as every runtime log line about an error carries them. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { error_type: error.name || error.constructor.name, error_message: error.message, stack: error.stack };
  }
  return { error_type: typeof error, error_message: String(error) };
}


/** Repeated runtime log lines and logger fallbacks: one line per cause every 10 s. */
export const REPEAT_INTERVAL_MS = 10_000;

/**
 * The runtime's guarded view of a {@link Logger}: a logger that throws or rejects never
 * breaks the runtime; the line falls back to stderr.
 * `enabled(level)` lets hot paths skip building fields a logger would drop: a logger may
 * declare a `level` property (one of the five levels, or `'off'` for one that drops everything,
 * as `NoOpLogger` does); without one, every level is enabled.
 */
export class SafeLogger {
  private readonly threshold: number;
  private readonly repeats = new RepeatLimiter(REPEAT_INTERVAL_MS);
  private readonly fallbackRepeats = new RepeatLimiter(REPEAT_INTERVAL_MS);

  constructor(private readonly logger: Logger) {
    const lvl = (logger as { level?: unknown }).level;
    this.threshold = lvl === 'off' ? Number.POSITIVE_INFINITY
      : typeof lvl === 'string' && lvl in LOG_LEVEL_ORDER ? LOG_LEVEL_ORDER[lvl as LogLevel] : 0;
  }

  /** False when the logger declares a `level` above this one (or `'off'`). */
  enabled(level: LogLevel): boolean {
    return (LOG_LEVEL_ORDER[level] ?? 0) >= this.threshold;
  }

  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    try {
      const r = this.logger.log(level, message, fields);
      if (r && typeof (r as Promise<void>).then === 'function') (r as Promise<void>).catch((e) => this.fallback(e, level, message, fields));
    } catch (e) {
      this.fallback(e, level, message, fields);
    }
  }

  /**
   * Logs a line that may repeat many times a second (a failing producer, a full disk): at most
   * one line per `key` every {@link REPEAT_INTERVAL_MS}; the next line written carries
   * `repeated`, the number of lines skipped since the last one.
   */
  logRepeated(key: string, level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    const skipped = this.repeats.admit(key);
    if (skipped === undefined) return;
    this.log(level, message, skipped > 0 ? { ...fields, repeated: skipped } : fields);
  }

  /** The logger failed: the line goes to stderr, the logger's error at most once a minute per kind. */
  private fallback(e: unknown, level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    let rendered = '';
    try { rendered = JSON.stringify(fields ?? {}); } catch { rendered = '<unserializable fields>'; }
    const why = `${(e as Error)?.name ?? 'Error'}: ${(e as Error)?.message ?? String(e)}`;
    const skipped = this.fallbackRepeats.admit(why);
    if (skipped !== undefined) process.stderr.write(`[Logger Error] ${why}${skipped > 0 ? ` (${skipped} more since the last report)` : ''}\n`);
    const same = this.fallbackRepeats.admit(`${level} ${message}`);
    if (same !== undefined) process.stderr.write(`[Logger Fallback] ${level} ${message} | ${rendered}${same > 0 ? ` (${same} such lines not shown)` : ''}\n`);
  }
}
