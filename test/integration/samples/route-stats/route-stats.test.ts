/**
 * The route-stats sample, compiled, run as a child process (its isolated resources load
 * compiled JavaScript): the same deterministic result in process, in a worker thread, and in
 * child processes through a real segfault of the "native" resource's host. Speed is not asserted.
 */
import { join, resolve } from 'node:path';
import { spawnNode } from '../../../support/spawn-node';

const ROOT = resolve(__dirname, '../../../..');
const MAIN = join(ROOT, 'dist/samples/route-stats/main.js');
const LIMIT = '40';

interface Summary {
  isolation: string;
  flights: number;
  totalKm: number;
  longest: { route: string; km: number };
  busiestCorridorAirport: { code: string; routes: number };
  checksum: string;
  unknownAirports: number;
  crashesSurvived: number;
  callsRetried: number;
  loopDelayMs: { p50: number; p99: number; max: number };
}

async function run(args: string[]): Promise<{ code: number | NodeJS.Signals; stdout: string; stderr: string }> {
  const p = spawnNode(MAIN, args, ROOT);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

async function summary(args: string[]): Promise<Summary> {
  const r = await run([...args, '--limit', LIMIT, '--json']);
  if (r.code !== 0) throw new Error(`route-stats ${args.join(' ')} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Summary;
}

/** The part of the summary that depends only on the flights. */
const result = (s: Summary) => ({ flights: s.flights, totalKm: s.totalKm, longest: s.longest, busiest: s.busiestCorridorAirport, checksum: s.checksum, unknown: s.unknownAirports });

describe('route-stats sample (compiled, child process)', () => {
  let inProcess: Summary;

  it('in process and in a worker thread: the same result, and the event-loop delay of each', async () => {
    inProcess = await summary(['--isolation', 'none']);
    const worker = await summary(['--isolation', 'worker']);
    expect(inProcess.flights).toBe(40);
    expect(inProcess.totalKm).toBeGreaterThan(0);
    expect(inProcess.checksum).toMatch(/^[0-9a-f]{8}$/);
    expect(result(worker)).toEqual(result(inProcess));
    for (const s of [inProcess, worker]) {
      expect(s.crashesSurvived).toBe(0);
      expect(s.loopDelayMs.p99).toEqual(expect.any(Number));
      expect(s.loopDelayMs.p99).toBeGreaterThan(0);
      expect(s.loopDelayMs.max).toBeGreaterThanOrEqual(s.loopDelayMs.p99);
    }
  }, 180_000);

  it('in child processes, a segfault of the native host mid-run: one crash survived, the exact same result', async () => {
    const crashed = await summary(['--isolation', 'process', '--crash-at', '10']);
    expect(crashed.crashesSurvived).toBe(1);
    expect(crashed.callsRetried).toBeGreaterThanOrEqual(1);
    expect(result(crashed)).toEqual(result(inProcess ?? await summary(['--isolation', 'none'])));
  }, 180_000);

  it('--crash-at with --isolation none is refused (exit 2): the segfault would kill the whole run', async () => {
    const r = await run(['--isolation', 'none', '--crash-at', '3', '--limit', LIMIT]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--crash-at needs --isolation worker or process');
    expect(r.stdout).toBe('');
  });
});
