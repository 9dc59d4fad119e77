/**
 * `<file>-owner`: a small JSON record beside a SQLite state file naming the process that holds it
 * (`pid`, `host`, `startedAt`, `file`). The holder writes it once its lock is taken and removes it
 * at shutdown. The lock is the truth; this file only names the holder for the error a second
 * process gets. A record left by a killed process is stale: nobody reads it unless the lock is
 * held, and the next holder replaces it.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** The holder of a state file, as its owner record names it. */
export interface StoreOwner {
  pid: number;
  host: string;
}

/** The owner record's path for a state file. */
export const ownerFilePath = (file: string): string => `${file}-owner`;

/** Writes this process's record (atomically: a reader sees the old record or the new one). Best effort. */
export function writeStoreOwner(file: string): void {
  const path = ownerFilePath(file);
  const temp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), file })}\n`);
    renameSync(temp, path);
  } catch {
    rmSync(temp, { force: true }); // the record only names the holder; the lock is held all the same
  }
}

/** Removes the record (called by the holder, before it lets go of the lock). Best effort. */
export function removeStoreOwner(file: string): void {
  try {
    rmSync(ownerFilePath(file), { force: true });
  } catch {
    // a record left behind names a process that is gone; it blocks nobody
  }
}

/**
 * The holder a record names, or undefined: no record, an unreadable one, or one naming a process
 * of this host that no longer runs (the record of a killed process, read while another process
 * that has not written its own yet holds the lock).
 */
export function readStoreOwner(file: string): StoreOwner | undefined {
  let record: { pid?: unknown; host?: unknown };
  try {
    record = JSON.parse(readFileSync(ownerFilePath(file), 'utf8')) as { pid?: unknown; host?: unknown };
  } catch {
    return undefined;
  }
  if (typeof record !== 'object' || record === null) return undefined;
  const { pid, host } = record;
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0 || typeof host !== 'string' || host === '') return undefined;
  if (host === hostname() && !isRunning(pid)) return undefined;
  return { pid, host };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // it runs, as another user
  }
}
