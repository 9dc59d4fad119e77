/**
 * A failure to open or read a SQLite state file, told the way a person can act on: which file,
 * what is wrong with it, what to do. A calculation: the file-system facts it needs are gathered
 * by `probeStoreFile` (store-file-probe.ts) and passed in.
 */
import { dirname, join } from 'node:path';
import { StateStoreOpenError, type StateStoreFileProblem } from '../core/errors';

/** What the file system says about a state file's path, looked at after a failure. */
export interface StoreFileFacts {
  /** Something is at the path. */
  exists: boolean;
  /** ...and it is a directory. */
  isDirectory: boolean;
  /**
   * The first of the file, its `-wal`/`-shm` files and its directory (or, for a missing file, the
   * nearest existing directory above it) that this process may not write, with the system's code.
   */
  readOnly?: { path: string; code: string };
  /** The nearest existing path above a missing file, when it is a file rather than a directory. */
  notADirectory?: string;
}

/** Opening (`startup()`) or reading (`getAllContexts()`, ...) the file. */
export type StoreFileStage = 'open' | 'read';

const READ_ONLY_CODES = new Set(['EROFS', 'EACCES', 'EPERM']);
const DISK_FULL_CODES = new Set(['SQLITE_FULL', 'ENOSPC']);

/**
 * The {@link StateStoreOpenError} for `error` (a better-sqlite3 `SqliteError`, a file-system
 * error, or anything thrown), which stays its `cause`.
 * @param file the store's file, absolute.
 */
export function describeStoreFileFailure(file: string, stage: StoreFileStage, error: unknown, facts: StoreFileFacts): StateStoreOpenError {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'UNKNOWN';
  // Not `instanceof Error`: an error made in another realm (a native addon's, a vm context's) is one too.
  const detail = typeof (error as { message?: unknown })?.message === 'string' ? (error as { message: string }).message : String(error);
  const verb = stage === 'open' ? 'opened' : 'read';
  const problem = classify(code, facts);
  const startFresh = `Look at it with \`minions inspect ${file}\`. To start fresh, stop every process using it and move it aside ` +
    `(with ${file}-wal, if present): its saved workflows will then not be resumed.`;
  let message: string;
  switch (problem) {
    case 'damaged':
      message = `State store ${file} cannot be ${verb}: the file is damaged (${detail}, ${code}). ${startFresh}`;
      break;
    case 'not-a-database':
      message = `State store ${file} cannot be ${verb}: it is not a SQLite database (${detail}, ${code}). ` +
        `Check that the path names the state file. ${startFresh}`;
      break;
    case 'directory':
      message = `State store ${file} cannot be opened: it is a directory, not a file. ` +
        `Move the directory away, or give the store a file path such as ${join(file, 'minions.db')}.`;
      break;
    case 'not-a-directory':
      message = `State store ${file} cannot be created: ${facts.notADirectory ?? 'a directory of its path'} is a file, not a directory (${code}). ` +
        'Move that file away, or give the store another path.';
      break;
    case 'read-only':
      message = readOnlyMessage(file, code, facts);
      break;
    case 'disk-full':
      message = `State store ${file} cannot be ${verb}: the file system is full (${code}). ` +
        'Free space on it, or give the store a path on another file system.';
      break;
    default:
      message = `State store ${file} cannot be ${verb}: ${detail} (${code}). ` +
        (facts.exists ? `Look at it with \`minions inspect ${file}\`; check` : 'Check') +
        ` that the path is right and that this process may create and write files in ${dirname(file)}.`;
  }
  return new StateStoreOpenError({ file, problem, sqliteCode: code }, message, { cause: error });
}

function classify(code: string, facts: StoreFileFacts): StateStoreFileProblem {
  if (code.startsWith('SQLITE_CORRUPT')) return 'damaged';
  if (code === 'SQLITE_NOTADB') return 'not-a-database';
  if (facts.isDirectory || code === 'EISDIR') return 'directory';
  if (facts.notADirectory !== undefined || code === 'ENOTDIR') return 'not-a-directory';
  if (facts.readOnly !== undefined || READ_ONLY_CODES.has(code) || code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (DISK_FULL_CODES.has(code)) return 'disk-full';
  return 'cannot-open';
}

function readOnlyMessage(file: string, code: string, facts: StoreFileFacts): string {
  const why = facts.readOnly?.code ?? code;
  const where = facts.readOnly?.path;
  if (!facts.exists) {
    return `State store ${file} cannot be created: its directory ${where ?? dirname(file)} is read-only (${why}). ` +
      'The store creates the file there: make the directory writable (or mount the file system read-write), or give the store another path.';
  }
  const what = where === undefined || where === file ? 'the file is read-only' : `${where} is read-only`;
  return `State store ${file} cannot be opened for writing: ${what} (${why}). The store writes to it at every checkpoint: ` +
    'make it writable (its directory too, for the -wal file) or mount the file system read-write, or give the store another path.';
}
