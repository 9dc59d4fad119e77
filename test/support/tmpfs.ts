import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Whether this machine lets the tests mount a small tmpfs (root with mount rights, as in this
 * project's CI). Where it does not, the full-disk suites are skipped with this reason printed,
 * never silently.
 */
export function tmpfsUnavailableReason(): string | undefined {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-tmpfs-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    return `cannot mount a tmpfs here (${String((e as { stderr?: Buffer }).stderr ?? (e as Error).message).trim()}): the full-disk tests need root with mount rights`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `describe`, or `describe.skip` with the reason printed when no tmpfs can be mounted. */
export function describeWithTmpfs(name: string, body: () => void): void {
  const reason = tmpfsUnavailableReason();
  if (reason) {
    process.stderr.write(`SKIPPED "${name}": ${reason}\n`);
    describe.skip(name, body);
  } else {
    describe(name, body);
  }
}
