import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Why this machine cannot mount a small tmpfs for the tests (they need root with mount rights,
 * as in this project's CI), or undefined when it can.
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

/**
 * `describe` for the full-disk suites. They need a real small filesystem; where none can be
 * mounted, the suite fails with the reason (not skipped: a full disk must be tested for real).
 */
export function describeWithTmpfs(name: string, body: () => void): void {
  const reason = tmpfsUnavailableReason();
  if (reason) {
    describe(name, () => {
      it('needs a small tmpfs', () => { throw new Error(`${name}: ${reason}`); });
    });
  } else {
    describe(name, body);
  }
}
