/** Error codes and messages that mean "no space left" (SQLite's and the OS's). */
const CODES = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);
const MESSAGE = /database or disk is full|no space left on device|disk quota exceeded/i;

/**
 * True when `error`, or an error in its `cause` chain, says the disk is full: SQLite's
 * `SQLITE_FULL`, the OS's `ENOSPC` (or `EDQUOT`), or their messages.
 */
export function isDiskFull(error: unknown): boolean {
  let e = error;
  for (let depth = 0; depth < 8 && typeof e === 'object' && e !== null; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if ((typeof code === 'string' && CODES.has(code)) || (typeof message === 'string' && MESSAGE.test(message))) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
