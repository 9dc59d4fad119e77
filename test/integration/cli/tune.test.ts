import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from './cli-harness';

/** `minions tune sqlite`, run for real by the built binary on a temporary directory (shape, not numbers). */
describe('minions tune sqlite', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-tune-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const small = ['--samples', '3', '--workflows', '200', '--in-flight', '50', '--batch-sizes', '8,64'];

  it('prints commit latencies, the reference profile, a batch-size sweep and a recommendation, and leaves nothing behind', async () => {
    const r = await runCli(['tune', 'sqlite', '--dir', dir, ...small], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toContain(`SQLite in ${path.resolve(dir)} (journal wal, synchronous NORMAL, page size `);
    expect(out).toMatch(/^ {2}256 B +\d+\.\d{3} +\d+\.\d{3}$/m);
    expect(out).toMatch(/^ {2}\d+ B +\d+\.\d{3} +\d+\.\d{3}$/m);
    expect(out).toMatch(/profile: (NVMe|SSD|HDD)-like \(.*\); the Python reference would batch (48|64|128) writes/);
    expect(out).toMatch(/^ +8 +[\d,]+ +[\d,]+$/m);
    expect(out).toMatch(/^ +64 +[\d,]+ +[\d,]+$/m);
    expect(out).toMatch(/^Recommended: new SqliteStateStore\(\{ path, maxBatchSize: (8|64) \}\) {2}\(.+\)$/m);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('--json prints one object with the same figures', async () => {
    const r = await runCli(['tune', 'sqlite', '--dir', dir, '--json', ...small], dir);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ journalMode: 'wal', synchronous: 'NORMAL', pageSize: expect.any(Number) });
    expect(report.latency).toHaveLength(2);
    expect(report.latency[0]).toEqual({ payloadBytes: 256, p50Ms: expect.any(Number), p95Ms: expect.any(Number) });
    expect(report.latency[1].payloadBytes).toBe(2 * report.pageSize);
    expect(report.profile.referenceBatch).toEqual(expect.any(Number));
    expect(report.sweep.map((s: { maxBatchSize: number }) => s.maxBatchSize)).toEqual([8, 64]);
    for (const s of report.sweep) expect(s.writesPerSecond).toBeGreaterThan(0);
    expect([8, 64]).toContain(report.recommended.maxBatchSize);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses a bad option value with the usage exit code, and a missing directory with 1', async () => {
    expect((await runCli(['tune', 'sqlite', '--batch-sizes', '0,x'], dir)).code).toBe(2);
    const missing = await runCli(['tune', 'sqlite', '--dir', path.join(dir, 'nope')], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});
