/**
 * Read-only files and directories for tests. Permission bits do not stop root, and the tests may
 * run as root: there the path is bind-mounted onto itself and remounted read-only (the kernel then
 * refuses every write with EROFS, root's included). As any other user, `chmod` does (EACCES).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';

/** How a path was made read-only, the code a write now fails with, and how to undo it. */
export interface ReadOnly {
  how: 'bind-mount' | 'chmod';
  /** `EROFS` for a read-only mount, `EACCES` for permission bits. */
  code: 'EROFS' | 'EACCES';
  undo: () => void;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Makes `path` (a file or a directory) read-only for this process and the processes it starts.
 * @returns null when it cannot be done: root without the right to mount (an unprivileged container).
 */
export function makeReadOnly(path: string): ReadOnly | null {
  if (!isRoot()) {
    const mode = fs.statSync(path).mode & 0o777;
    fs.chmodSync(path, fs.statSync(path).isDirectory() ? 0o555 : 0o444);
    return { how: 'chmod', code: 'EACCES', undo: () => fs.chmodSync(path, mode) };
  }
  try {
    execFileSync('mount', ['--bind', path, path], { stdio: 'pipe' });
  } catch {
    return null;
  }
  try {
    execFileSync('mount', ['-o', 'remount,ro,bind', path], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', [path], { stdio: 'pipe' });
    return null;
  }
  return { how: 'bind-mount', code: 'EROFS', undo: () => execFileSync('umount', [path], { stdio: 'pipe' }) };
}
