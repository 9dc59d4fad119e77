/**
 * What the file system says about a state file's path: looked at only after opening or reading
 * it failed, so that the message can name the real obstacle (a directory, a read-only mount)
 * rather than SQLite's generic "unable to open database file" or "disk I/O error".
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { describeStoreFileFailure, type StoreFileFacts, type StoreFileStage } from './store-file-failure';
import type { StateStoreOpenError } from '../core/errors';

const NOT_WRITABLE = new Set(['EROFS', 'EACCES', 'EPERM']);

/** The facts {@link describeStoreFileFailure} works from, for an absolute `file`. */
export function probeStoreFile(file: string): StoreFileFacts {
  const stats = statOf(file);
  if (stats !== undefined) {
    if (stats.isDirectory()) return { exists: true, isDirectory: true };
    const candidates = [file, `${file}-wal`, `${file}-shm`].filter((p) => p === file || statOf(p) !== undefined);
    return { exists: true, isDirectory: false, readOnly: firstNotWritable([...candidates, dirname(file)]) };
  }
  // Missing: the nearest existing path above it must be a directory this process may write.
  let above = dirname(file);
  let aboveStats = statOf(above);
  while (aboveStats === undefined && dirname(above) !== above) {
    above = dirname(above);
    aboveStats = statOf(above);
  }
  if (aboveStats !== undefined && !aboveStats.isDirectory()) return { exists: false, isDirectory: false, notADirectory: above };
  return { exists: false, isDirectory: false, readOnly: firstNotWritable([above]) };
}

/** {@link describeStoreFileFailure} with the facts of the file system now. */
export function storeFileFailure(file: string, stage: StoreFileStage, error: unknown): StateStoreOpenError {
  let facts: StoreFileFacts;
  try {
    facts = probeStoreFile(file);
  } catch {
    facts = { exists: false, isDirectory: false }; // the original error is the one worth reporting
  }
  return describeStoreFileFailure(file, stage, error, facts);
}

function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function firstNotWritable(paths: string[]): { path: string; code: string } | undefined {
  for (const path of paths) {
    try {
      accessSync(path, constants.W_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== undefined && NOT_WRITABLE.has(code)) return { path, code };
    }
  }
  return undefined;
}
