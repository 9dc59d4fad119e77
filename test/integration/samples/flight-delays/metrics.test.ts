import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../../support/spawn-node';
import { promtoolCheckMetrics, requirePromtool, scrape } from '../../../support/promtool';
import { nextChange, startSample } from './sample-process';

/** The value of the first sample line of `name` in an exposition body (0 when absent). */
function firstValue(body: string, name: string): number {
  const m = new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(body);
  return m ? Number(m[1]) : 0;
}

describe('flight-delays metrics (compiled, child process)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'flight-metrics-'));
    requirePromtool();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the sample's /metrics endpoint passes promtool check metrics while it runs", async () => {
    const dataDir = join(dir, 'run');
    const sample = startSample(['--data-dir', dataDir, '--json', '--metrics-port', '0']);
    try {
      // The sample prints its metrics URL once the orchestration runs.
      const urlOf = (): string | undefined => /metrics at (http:\/\/\S+\/metrics)/.exec(sample.stderr())?.[1];
      await waitFor(() => urlOf() !== undefined, sample);
      const url = urlOf()!;

      // The admin API answers on the same port, with the token written to the data directory.
      const admin = /admin API at (http:\/\/\S+) \(token in (.+?)\)$/m.exec(sample.stderr());
      expect(admin).not.toBeNull();
      expect(new URL(admin![1]).port).toBe(new URL(url).port);
      expect(admin![2]).toBe(join(dataDir, 'admin.token'));
      const token = readFileSync(admin![2], 'utf8');
      const status = await fetch(`${admin![1]}/status`, { headers: { authorization: `Bearer ${token}` } });
      expect(status.status).toBe(200);
      expect(((await status.json()) as { orchestrations: unknown[] }).orchestrations).toHaveLength(1);

      // Scrape until both outcomes of DelayAlert (an alert, an abort below the threshold) are counted.
      let exitedWith: number | string | undefined;
      void sample.exited.then((code) => { exitedWith = code; });
      let body = '';
      while (firstValue(body, 'minion_workflow_succeeded_total') === 0 || firstValue(body, 'minion_workflow_aborted_total') === 0) {
        if (exitedWith !== undefined) throw new Error(`the sample exited (${exitedWith}) before its metrics showed work\nstderr:\n${sample.stderr()}`);
        const reply = await scrape(url);
        expect(reply.status).toBe(200);
        body = reply.body;
        await nextChange(dataDir, sample); // the next write of the sample, not a timer
      }
      expect(body).toContain('resource_serves_total{');
      expect(body).toContain('minion_workflow_persistence_attempts_total{');
      expect(body).toContain('pipeline_event_produced_total{');

      expect(await promtoolCheckMetrics(body)).toEqual({ code: 0, output: '' });

      sample.child.kill('SIGTERM'); // graceful: the sample stops, prints its summary and exits 143 (0 had it just finished)
      expect([0, 143]).toContain(await sample.exited);
    } finally {
      if (sample.child.exitCode === null && sample.child.signalCode === null && !sample.child.killed) sample.child.kill('SIGKILL');
      await sample.exited;
    }
  });
});
