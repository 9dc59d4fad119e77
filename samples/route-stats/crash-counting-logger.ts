import { Logger, type LogLevel } from 'minions';

/** The line the supervisor logs each time an isolated resource's host dies and is restarted. */
const CRASHED = 'Isolated resource crashed, restarting';

/**
 * Writes warnings and errors to stderr, one line each, and counts the host crashes the
 * supervisor reports.
 */
export class CrashCountingLogger extends Logger {
  /** Hosts that died unasked and were restarted. */
  crashes = 0;

  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void {
    if (message === CRASHED) this.crashes++;
    if (level !== 'warn' && level !== 'error') return;
    const shown = Object.entries(fields ?? {}).filter(([, v]) => v !== undefined && typeof v !== 'object').map(([k, v]) => `${k}=${String(v)}`);
    process.stderr.write(`route-stats: [${level}] ${message}${shown.length ? ` (${shown.join(' ')})` : ''}\n`);
  }
}
