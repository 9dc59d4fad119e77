import { Logger, type LogLevel } from 'minions';

/** The line the supervisor logs each time an isolated resource's host dies and is restarted. */
const CRASHED = 'Isolated resource crashed, restarting';
/** Info line worth showing: the new host is up. */
const RESTARTED = 'Isolated resource restarted';
/** Warnings repeated for every call a crash took down: counted in the summary, not shown. */
const PER_CALL = new Set(['Resource method failed', 'Workflow Step failed; retrying']);
/** Fields shown on stderr (no stacks, no ids: the sample's output stays readable). */
const SHOWN = ['resource_class', 'isolation', 'signal', 'exit_code', 'reason', 'error_type', 'error_message'];

/**
 * Writes warnings, errors and host restarts to stderr, one short line each, and counts the host
 * crashes the supervisor reports.
 */
export class CrashCountingLogger extends Logger {
  /** Hosts that died unasked and were restarted. */
  crashes = 0;

  log(level: LogLevel, message: string, fields: Record<string, unknown> = {}): void {
    if (message === CRASHED) this.crashes++;
    const shown = message === RESTARTED || ((level === 'warn' || level === 'error' || level === 'critical') && !PER_CALL.has(message));
    if (!shown) return;
    const details = SHOWN.filter((k) => fields[k] !== undefined && fields[k] !== null).map((k) => `${k}=${String(fields[k])}`);
    process.stderr.write(`route-stats: [${level}] ${message}${details.length ? ` (${details.join(' ')})` : ''}\n`);
  }
}
