import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `alerts.db` cannot be opened or read: damaged, not a database, read-only, a directory. Like a
 * bad input file, it is reported with its path and what to do, without a stack trace, and the
 * sample exits 2.
 */
export class AlertsDbError extends Error {
  override readonly name = 'AlertsDbError';
}

const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/**
 * The {@link AlertsDbError} for a failure (a better-sqlite3 `SqliteError`, a file-system error) on
 * the database at `path`; the failure stays its `cause`.
 */
export function alertsDbError(path: string, error: unknown): AlertsDbError {
  const code = String((error as { code?: unknown })?.code ?? 'UNKNOWN');
  const detail = typeof (error as { message?: unknown })?.message === 'string' ? (error as Error).message : String(error);
  const startOver = `Use another --data-dir, or move ${path} aside to start over (the flights it recorded are then processed again).`;
  let message: string;
  if (isDirectory(path)) {
    message = `${path} cannot be opened: it is a directory, not a file. ${startOver}`;
  } else if (code === 'SQLITE_NOTADB') {
    message = `${path} cannot be opened: it is not a SQLite database (${detail}, ${code}). ${startOver}`;
  } else if (code.startsWith('SQLITE_CORRUPT')) {
    message = `${path} cannot be opened: the file is damaged (${detail}, ${code}). ${startOver}`;
  } else {
    const readOnly = notWritable(path) ?? (NOT_WRITABLE.has(code) || code.startsWith('SQLITE_READONLY') ? { target: path, code } : undefined);
    const what = readOnly?.target === path ? 'the file is' : `its directory ${readOnly?.target} is`;
    message = readOnly !== undefined
      ? `${path} cannot be opened for writing: ${what} read-only (${readOnly.code}). Make it and ${dirname(path)} writable, or use another --data-dir.`
      : `${path} cannot be opened: ${detail} (${code}). ${startOver}`;
  }
  return new AlertsDbError(message, { cause: error });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The file, or else its directory, if this process may not write it, with the system's code. */
function notWritable(path: string): { target: string; code: string } | undefined {
  for (const target of [path, dirname(path)]) {
    try {
      accessSync(target, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== undefined && NOT_WRITABLE.has(code)) return { target, code };
    }
  }
  return undefined;
}
