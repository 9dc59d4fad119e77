import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lastJsonLine, runSample, startSample } from './sample-process';
import { waitFor } from '../../../support/spawn-node';
import { describeWithTmpfs } from '../../../support/tmpfs';

/** A real small filesystem: a tmpfs mounted for the test (CI runs as root, which may mount). */
function mountTmpfs(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]);
}

describeWithTmpfs('flight-delays on a full disk', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flights-full-'));
    mountTmpfs(dir, '3m');
  });
  afterEach(() => {
    try { execFileSync('umount', [dir]); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
  });

  it('past --disk-full-timeout it ends with exit 1 naming the full file, without flooding stderr; after space returns a rerun finishes exactly', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await runSample(['--data-dir', dataDir, '--metrics-port', '0', '--disk-full-timeout', '3', '--json']);
    expect(first.code).toBe(1);
    const message = first.stderr.split('\n').find((l) => l.startsWith('flight-delays: The disk is full: ')) ?? '';
    expect(message).toContain(`the state store ${path.join(dataDir, 'minions.db')}`);
    expect(message).toMatch(/could not be written for \d+ s/);
    expect(first.stderr.split('\n').length).toBeLessThan(100);
    const partial = lastJsonLine(first.stdout);
    expect(partial).toMatchObject({ interrupted: true, failed: 0 });

    execFileSync('mount', ['-o', 'remount,size=300m', dir]);
    const second = await runSample(['--data-dir', dataDir, '--metrics-port', '0', '--json']);
    expect(second.code).toBe(0);
    expect(lastJsonLine(second.stdout)).toMatchObject({ flights: 20000, alerts: 1108, failed: 0 });
  });

  it('when space returns while it waits, the same run finishes exactly (exit 0)', async () => {
    const dataDir = path.join(dir, 'data');
    const run = startSample(['--data-dir', dataDir, '--metrics-port', '0', '--json']);
    await waitFor(() => run.stderr().includes('Disk full: intake paused until space returns'), run);
    execFileSync('mount', ['-o', 'remount,size=300m', dir]);
    expect(await run.exited).toBe(0);
    expect(lastJsonLine(run.stdout())).toMatchObject({ flights: 20000, alerts: 1108, failed: 0 });
  });
});
