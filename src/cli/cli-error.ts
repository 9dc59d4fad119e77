/**
 * How a command ends with a non-zero exit code.
 */
import { MinionsError } from '../index';

/** Exit codes of the `minions` binary. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * Thrown by a command to end the process with `exitCode`. `main` prints `minions: <message>`
 * on stderr, unless `message` is empty (the command already printed what it had to say, as
 * `doctor ids` does with its findings).
 */
export class CliError extends MinionsError {
  static readonly code = 'MINIONS_CLI';
  /** 1 (failure, default) or 2 (usage). */
  readonly exitCode: 1 | 2;
  constructor(message: string, exitCode: 1 | 2 = EXIT.failure, options?: { cause?: unknown }) {
    super(CliError.code, message, options);
    this.exitCode = exitCode;
  }
}
