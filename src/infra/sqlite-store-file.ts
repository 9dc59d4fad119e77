/**
 * Opening a SQLite state file for one process: the file is opened in SQLite's exclusive locking
 * mode and a write transaction takes its lock, which the connection then keeps until it closes.
 * The lock is an OS-level (POSIX) lock: the kernel releases it when the process dies, so a
 * SIGKILL never leaves a stale lock behind. A second opener (another process, or another
 * connection in this one) fails with {@link StateStoreLockedError}.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { MinionsError, StateStoreLockedError } from '../core/errors';
import { storeFileFailure } from './store-file-probe';
import { readStoreOwner, removeStoreOwner, writeStoreOwner } from './store-owner-file';

/**
 * What `startup()` found at the store's path: `missing` (the file was created), `empty` (a
 * zero-length file, started as a new store), `database` (an existing database).
 */
export type StoreFileAtStartup = 'missing' | 'empty' | 'database';

/** A state file open and held by this process. */
export interface HeldStoreFile {
  sqlite: Database.Database;
  /** Undefined for `:memory:` and `file:` URIs. */
  found: StoreFileAtStartup | undefined;
  /** Removes the owner record; call it before closing `sqlite`, while the lock is still held. */
  release(): void;
}

const LOCKED = /^SQLITE_(BUSY|LOCKED)/;

/** True for a path on disk, false for `:memory:` and `file:` URIs (left to SQLite as given). */
export const isPlainPath = (path: string): boolean => path !== ':memory:' && !path.startsWith('file:');

/**
 * Creates the parent directory if missing, opens `file` in WAL mode and takes its exclusive
 * lock, waiting up to `busyTimeoutMs` for another holder to let go; then records this process
 * as the holder (`<file>-owner`).
 * @param file an absolute path, or `:memory:` / a `file:` URI.
 * @throws StateStoreLockedError when another connection holds the file past `busyTimeoutMs`;
 *   StateStoreOpenError when the file cannot be opened (damaged, not a database, read-only, a directory, ...).
 */
export function openHeldStoreFile(file: string, busyTimeoutMs: number): HeldStoreFile {
  const plain = isPlainPath(file);
  let sqlite: Database.Database | undefined;
  try {
    const found = plain ? whatIsAt(file) : undefined;
    if (plain) mkdirSync(dirname(file), { recursive: true });
    sqlite = new Database(file, { timeout: busyTimeoutMs });
    // Before the first access: in exclusive mode a WAL database keeps its index in private memory
    // (no -shm file) and the connection holds an exclusive lock on the file from its first read.
    sqlite.pragma('locking_mode = EXCLUSIVE');
    try {
      sqlite.pragma('journal_mode = WAL');
      sqlite.exec('BEGIN IMMEDIATE');
      sqlite.exec('COMMIT');
    } catch (e) {
      if (LOCKED.test(String((e as { code?: unknown }).code))) {
        const holder = plain ? readStoreOwner(file) : undefined;
        throw new StateStoreLockedError({ file, pid: holder?.pid, host: holder?.host }, { cause: e });
      }
      throw e;
    }
    sqlite.pragma('synchronous = NORMAL');
    if (plain) writeStoreOwner(file);
    const opened = sqlite;
    return { sqlite: opened, found, release: () => { if (plain) removeStoreOwner(file); } };
  } catch (e) {
    try {
      sqlite?.close();
    } catch {
      // the open error is the one worth reporting
    }
    throw MinionsError.is(e) ? e : storeFileFailure(file, 'open', e);
  }
}

/** Looked at before SQLite creates anything. A zero-length file with a non-empty `-wal` is a database (its content is in the WAL). */
function whatIsAt(file: string): StoreFileAtStartup {
  const size = sizeOf(file);
  if (size === undefined) return 'missing';
  return size === 0 && !sizeOf(`${file}-wal`) ? 'empty' : 'database';
}

function sizeOf(path: string): number | undefined {
  try {
    const stats = statSync(path);
    return stats.isFile() ? stats.size : undefined;
  } catch {
    return undefined;
  }
}
