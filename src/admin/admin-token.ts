import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A fresh admin token: 32 random bytes, base64url (43 characters). */
export function generateAdminToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Writes `token` (no trailing newline) to `file` with mode 0600, replacing it atomically: a
 * temporary file beside it, then a rename. Creates the directory when missing.
 * @throws the file system's error (the temporary file is removed).
 */
export async function writeAdminTokenFile(file: string, token: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, token, { mode: 0o600, flag: 'wx' });
    await chmod(temp, 0o600); // the umask may not take bits away from 0600, but a file system may add some
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

/**
 * Whether an `Authorization` header carries `Bearer <token>`. Compares digests in constant
 * time, so neither the token's content nor its length leaks through timing.
 */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? '');
  if (!m) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}
