/**
 * The system's Chromium for browser tests (driven by puppeteer-core, which downloads no browser).
 * It comes from `scripts/install-test-tools.sh` (Debian's `chromium` package).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';

const CANDIDATES = ['chromium', 'chromium-browser'];
const FALLBACK = '/usr/bin/chromium';

/**
 * The path of the Chromium executable: `chromium` or `chromium-browser` on PATH, else
 * `/usr/bin/chromium`.
 * @throws Error naming the setup script when none is found or it does not run.
 */
export function findChromium(): string {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  const found = [...CANDIDATES.flatMap((name) => dirs.map((d) => path.join(d, name))), FALLBACK].find((file) => {
    try { accessSync(file, constants.X_OK); return true; } catch { return false; }
  });
  if (!found) {
    throw new Error(`Chromium is not installed (looked for ${CANDIDATES.join(', ')} on PATH and ${FALLBACK}): ` +
      'run `scripts/install-test-tools.sh` as root (CI runs it before `npm test`); it installs Debian\'s chromium package.');
  }
  const probe = spawnSync(found, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`${found} --version failed (${probe.error?.message ?? `exit ${probe.status}: ${probe.stderr}`}): ` +
      'reinstall it with `scripts/install-test-tools.sh`.');
  }
  return found;
}
