import { join } from 'node:path';
import winston from 'winston';
import { InvalidOptionError } from '../core/errors';
import { LOG_LEVEL_ORDER, Logger, type LogLevel } from '../core/ports/logger';
import { buildLogRecord } from './log-record';
import { RotatingFileStream } from './rotating-file-stream';
import { describeError, StderrReporter } from './stderr-reporter';
import { settlesWithin } from '../core/lifecycle/with-deadline';
import { RepeatLimiter } from '../core/runtime/repeat-limiter';

/** Options of {@link WinstonLogger}. */
export interface WinstonLoggerOptions {
  /** Lowest level written; lower lines are dropped before any formatting. Default `'info'`. */
  level?: LogLevel;
  /** Directory of the log files, created at `startup()` if missing. Default `'logs'` (relative to the working directory). */
  dir?: string;
  /** Name of the active file inside `dir`. Default `'minions.log'`. */
  filename?: string;
  /** Size at which the active file is rotated, bytes. Integer ≥ 1024; default 10 MiB. */
  maxFileBytes?: number;
  /**
   * Bytes kept over all files, the active one included: `floor(maxTotalBytes / maxFileBytes)` files
   * are kept, the oldest deleted. Integer ≥ `maxFileBytes`; default 100 MiB.
   */
  maxTotalBytes?: number;
  /** Also write `warn`, `error` and `critical` lines to stderr, human-readable (no stack traces). Default `true`. */
  console?: boolean;
}

/** Winston's level table for our levels (winston counts the most severe as 0). */
const WINSTON_LEVELS: Record<LogLevel, number> = { critical: 0, error: 1, warn: 2, info: 3, debug: 4 };
const MESSAGE = Symbol.for('message');
const LINE = Symbol('minions.line');
const RECORD = Symbol('minions.record');
const SHUTDOWN_TIMEOUT_MS = 5000;

type WinstonInfo = winston.Logform.TransformableInfo & { [LINE]?: string; [RECORD]?: Record<string, unknown> };

/**
 * The default {@link Logger}: one JSON object per line, `{"ts": ISO-8601 UTC, "level", "msg", ...fields}`,
 * in `<dir>/<filename>`, through winston (our five levels as winston custom levels; a Stream
 * transport per destination). The file destination is a rotating file stream: the active
 * file is rotated before it would pass `maxFileBytes` (the newest rotated file is `<name>1.log`,
 * then `<name>2.log`, ...), and `floor(maxTotalBytes / maxFileBytes)` files are kept, the active
 * one included. (winston's own File transport loses lines written while it rotates, so it is not
 * used.) Warnings and worse are also written to stderr, one readable line each (`console: true`),
 * without stack traces (the file's line has them).
 *
 * Fields are made JSON-safe: an `Error` becomes `{ error_type, error_message, stack }` (plus `code`
 * and `cause` when it has them), dates ISO strings, bigints strings, cycles `"[Circular]"`. Field
 * names `ts`, `level`, `msg` are written as `field_ts`, `field_level`, `field_msg`.
 *
 * `log()` never throws: if building or writing a line fails, the line goes to stderr as
 * `[Logger Fallback] ...`, after a `[Logger Error] ...` note (rate-limited). Lines logged before
 * `startup()` open the file on the spot; warnings and worse logged after `shutdown()` go to stderr,
 * lower levels are dropped. `startup()` after `shutdown()` opens the file again (appending).
 */
export class WinstonLogger extends Logger {
  /** Lowest level written. */
  readonly level: LogLevel;
  /** Directory of the log files. */
  readonly dir: string;
  /** Name of the active log file. */
  readonly filename: string;
  /** Rotation size, bytes. */
  readonly maxFileBytes: number;
  /** Storage cap over all files, bytes. */
  readonly maxTotalBytes: number;
  /** Whether warnings and worse are mirrored to stderr. */
  readonly console: boolean;

  private logger: winston.Logger | null = null;
  private file: RotatingFileStream | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly threshold: number;
  private readonly reporter = new StderrReporter('[Logger Error]');
  private readonly fallbackRepeats = new RepeatLimiter(10_000);
  /** Lines the file failed to take since startup. */
  private lostLines = 0;

  /**
   * @throws InvalidOptionError (`MINIONS_INVALID_OPTION`) for an unknown level, an empty dir or filename,
   *   `maxFileBytes` below 1024 or `maxTotalBytes` below `maxFileBytes`.
   */
  constructor(options: WinstonLoggerOptions = {}) {
    super();
    this.level = options.level ?? 'info';
    this.dir = options.dir ?? 'logs';
    this.filename = options.filename ?? 'minions.log';
    this.maxFileBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
    this.maxTotalBytes = options.maxTotalBytes ?? 100 * 1024 * 1024;
    this.console = options.console ?? true;
    if (!(this.level in LOG_LEVEL_ORDER)) invalid('level', this.level, `one of ${Object.keys(LOG_LEVEL_ORDER).join(', ')}`);
    if (!this.dir) invalid('dir', this.dir, 'a non-empty string');
    if (!this.filename) invalid('filename', this.filename, 'a non-empty string');
    if (!Number.isInteger(this.maxFileBytes) || this.maxFileBytes < 1024) invalid('maxFileBytes', this.maxFileBytes, 'an integer >= 1024');
    if (!Number.isInteger(this.maxTotalBytes) || this.maxTotalBytes < this.maxFileBytes) {
      invalid('maxTotalBytes', this.maxTotalBytes, `an integer >= maxFileBytes (${this.maxFileBytes})`);
    }
    this.threshold = LOG_LEVEL_ORDER[this.level];
  }

  /** Path of the active log file, `<dir>/<filename>`. */
  get filePath(): string {
    return join(this.dir, this.filename);
  }

  /**
   * Creates `dir` if missing and opens the file. Idempotent while open.
   * @throws the file-system error when the directory cannot be created.
   */
  override async startup(): Promise<void> {
    if (this.closing !== null) await this.closing;
    this.closed = false;
    this.closing = null;
    this.open();
  }

  /**
   * Ends the transports and waits until every accepted line is written to the file (at most 5 s,
   * then it gives up with a note on stderr). Idempotent.
   */
  override shutdown(): Promise<void> {
    this.closing ??= this.close();
    return this.closing;
  }

  /** Writes one line if `level` is at or above the configured level. Never throws. */
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    try {
      const order = LOG_LEVEL_ORDER[level];
      if (order === undefined) {
        this.log('error', String(message), { ...fields, invalid_log_level: String(level) });
        return;
      }
      if (order < this.threshold) return;
      const record = buildLogRecord(level, message, fields);
      const line = JSON.stringify(record);
      if (this.closed) {
        if (order >= LOG_LEVEL_ORDER.warn) this.fallback(null, line);
        return;
      }
      const logger = this.open();
      const info = { level, message: String(message), [LINE]: line, [RECORD]: record };
      logger.log(info as unknown as winston.LogEntry);
    } catch (error) {
      this.fallback(error, `${String(level)} ${String(message)} | ${renderFields(fields)}`);
    }
  }

  private open(): winston.Logger {
    if (this.logger !== null) return this.logger;
    const file = new RotatingFileStream({
      path: this.filePath,
      maxFileBytes: this.maxFileBytes,
      maxFiles: Math.floor(this.maxTotalBytes / this.maxFileBytes),
      onError: (error, unwritten) => this.fileFailed(error, unwritten),
    });
    file.openNow(); // creates the directory; throws here rather than at the first write
    const transports: winston.transport[] = [
      new winston.transports.Stream({
        stream: file,
        eol: '\n',
        format: winston.format((info: WinstonInfo) => {
          info[MESSAGE] = info[LINE];
          return info;
        })(),
      }),
    ];
    if (this.console) {
      transports.push(new winston.transports.Stream({
        stream: process.stderr,
        eol: '\n',
        level: LOG_LEVEL_ORDER[this.level] > LOG_LEVEL_ORDER.warn ? this.level : 'warn',
        format: winston.format((info: WinstonInfo) => {
          info[MESSAGE] = humanLine(info[RECORD] ?? {});
          return info;
        })(),
      }));
    }
    const logger = winston.createLogger({
      levels: WINSTON_LEVELS,
      level: this.level,
      format: winston.format((info) => info)(),
      transports,
      exitOnError: false,
    });
    logger.on('error', (error: unknown) => this.reporter.report(`winston:${describeError(error)}`,
      `WinstonLogger(${this.filePath}): ${describeError(error)}`));
    this.logger = logger;
    this.file = file;
    return logger;
  }

  /** Ends winston's pipeline, then the file stream, which writes what it holds and closes the file. */
  private async close(): Promise<void> {
    this.closed = true;
    const logger = this.logger;
    const file = this.file;
    this.logger = null;
    this.file = null;
    if (logger === null || file === null) return;
    const drained = (async () => {
      await new Promise<void>((resolve) => {
        logger.once('finish', () => resolve());
        logger.end();
      });
      await new Promise<void>((resolve) => {
        file.once('finish', () => resolve());
        file.once('close', () => resolve());
        file.end();
      });
    })();
    if (!(await settlesWithin(drained, SHUTDOWN_TIMEOUT_MS))) {
      this.reporter.report('shutdown-timeout', `WinstonLogger(${this.filePath}): not flushed within ${SHUTDOWN_TIMEOUT_MS} ms`);
      file.destroy();
    }
  }

  /**
   * The file could not be written (a full disk, say): the cause is reported with a count of the
   * lines lost, at most once a minute per cause. Lines at warn and above still reach stderr: through
   * the console mirror when it is on, else as `[Logger Fallback]` lines, one per message every 10 s
   * (so a full disk cannot turn every log line into a stderr line).
   */
  private fileFailed(error: unknown, unwritten: string): void {
    let lost = 0;
    for (const line of unwritten.split('\n')) {
      if (line.length === 0) continue;
      lost++;
      if (this.console) continue;
      const level = /"level":"(\w+)"/.exec(line)?.[1] as LogLevel | undefined;
      const msg = /"msg":"((?:[^"\\]|\\.)*)"/.exec(line)?.[1] ?? '';
      if (level && LOG_LEVEL_ORDER[level] >= LOG_LEVEL_ORDER.warn && this.fallbackRepeats.admit(`${level} ${msg}`) !== undefined) {
        this.fallback(null, line);
      }
    }
    this.lostLines += lost;
    const cause = describeError(error);
    const before = this.lostLines;
    this.reporter.report(`file:${cause}`, `WinstonLogger(${this.filePath}): ${cause}; ${before} line(s) could not be written to the file so far`);
  }

  /** Writes `[Logger Fallback] <text>` to stderr, after a rate-limited `[Logger Error]` note for `error`. */
  private fallback(error: unknown, text: string): void {
    try {
      if (error !== null) this.reporter.report(`log:${describeError(error)}`, describeError(error));
      process.stderr.write(`[Logger Fallback] ${text}\n`);
    } catch {
      // nothing left to fall back to
    }
  }

}

/** Best-effort rendering of fields that failed the normal path. */
function renderFields(fields: unknown): string {
  try {
    return JSON.stringify(fields) ?? '';
  } catch {
    return '[fields could not be serialized]';
  }
}

/**
 * `2024-01-01T00:00:00.000Z WARN message {"key":"value"}` for the stderr mirror, the fields without
 * stack traces: a stack is many lines of JSON escapes on a terminal, and the file line has it.
 */
function humanLine(record: Record<string, unknown>): string {
  const { ts, level, msg, ...rest } = withoutStacks(record);
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  return `${String(ts)} ${String(level).toUpperCase()} ${String(msg)}${extra}`;
}

/** `fields` less every `stack` of it and of the serialized errors in it (their `cause`s too). */
function withoutStacks(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'stack') continue;
    out[key] = isSerializedError(value) ? withoutStacks(value as unknown as Record<string, unknown>) : value;
  }
  return out;
}

const isSerializedError = (v: unknown): boolean => typeof v === 'object' && v !== null && 'error_type' in v && 'error_message' in v;

function invalid(option: keyof WinstonLoggerOptions, value: unknown, expected: string): never {
  throw new InvalidOptionError(`WinstonLoggerOptions.${option}`, value, expected);
}
