import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { countRows, lastJsonLine, runSample, startSample, waitUntil } from './sample-process';

interface RawFlight { date: string; delay: number; distance: number; origin: string; destination: string }

const raw = JSON.parse(readFileSync(join(__dirname, '../../../../node_modules/vega-datasets/data/flights-20k.json'), 'utf8')) as RawFlight[];

/** The alerts table as `idx -> [delay, origin, destination]`, and the checkpoint count. */
function readResults(dataDir: string): { alerts: Map<number, [number, string, string]>; verdicts: number; checkpoints: number } {
  const db = new Database(join(dataDir, 'alerts.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT idx, delay, origin, destination FROM alerts').all() as Array<{ idx: number; delay: number; origin: string; destination: string }>;
    return {
      alerts: new Map(rows.map((r) => [r.idx, [r.delay, r.origin, r.destination]])),
      verdicts: countRows(join(dataDir, 'alerts.db'), 'verdicts'),
      checkpoints: countRows(join(dataDir, 'minions.db'), 'workflows'),
    };
  } finally {
    db.close();
  }
}

/** What an uninterrupted run must leave: an alert for exactly the flights delayed >= threshold. */
function expectedAlerts(flights: RawFlight[], threshold = 60): Map<number, [number, string, string]> {
  return new Map(flights.flatMap((f, i) => (f.delay >= threshold ? [[i, [f.delay, f.origin, f.destination]] as const] : [])));
}

describe('flight-delays survives crashes (compiled, child processes)', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'flight-crash-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL mid-run (three times, once right after a restart) then a restart to the end: alerts equal an uninterrupted run, no checkpoint left', async () => {
    const dataDir = join(dir, 'full');
    const alertsDb = join(dataDir, 'alerts.db');
    const args = ['--data-dir', dataDir, '--json', '--metrics-port', '0'];
    const verdicts = () => countRows(alertsDb, 'verdicts');

    // 1. Killed once 2,000 flights are decided.
    const first = startSample(args);
    await waitUntil(() => verdicts() >= 2000, first, first.stderr, dataDir);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const afterFirst = verdicts();
    expect(afterFirst).toBeLessThan(raw.length);
    // Workflows in flight at the kill left checkpoints: the restart must resume them.
    const checkpointsLeft = countRows(join(dataDir, 'minions.db'), 'workflows');
    expect(checkpointsLeft).toBeGreaterThan(0);

    // 2. Killed as soon as the restart has resumed its checkpoints (it says so on stderr).
    const second = startSample(args);
    await waitUntil(() => second.stderr().includes('workflows resumed'), second, second.stderr);
    second.child.kill('SIGKILL');
    expect(await second.exited).toBe('SIGKILL');
    expect(second.stderr()).toContain(`${afterFirst} already done`);
    const resumed = Number(/(\d+) workflows resumed/.exec(second.stderr())![1]);
    expect(resumed).toBe(checkpointsLeft);

    // 3. Killed again further on.
    const third = startSample(args);
    await waitUntil(() => verdicts() >= 12_000, third, third.stderr, dataDir);
    third.child.kill('SIGKILL');
    expect(await third.exited).toBe('SIGKILL');
    const afterThird = verdicts();
    expect(afterThird).toBeLessThan(raw.length);

    // 4. Runs to the end.
    const last = await runSample(args);
    expect(last.stderr).not.toMatch(/unexpected error/);
    expect(last.code).toBe(0);
    const summary = lastJsonLine(last.stdout);
    const expected = expectedAlerts(raw);
    expect(summary).toMatchObject({
      flights: raw.length, alerts: expected.size, aborted: raw.length - expected.size, failed: 0, alreadyDone: afterThird, complete: true,
    });
    expect(summary.processedThisRun).toBe(raw.length - afterThird);

    const results = readResults(dataDir);
    expect(results.alerts.size).toBe(expected.size);
    expect(results.alerts).toEqual(expected);
    expect(results.verdicts).toBe(raw.length);
    expect(results.checkpoints).toBe(0);
  }, 240_000);

  it('SIGTERM stops gracefully with exit 143 and a summary; the next start finishes the job', async () => {
    const flights = raw.slice(0, 5000);
    const input = join(dir, 'first-5000.ndjson');
    writeFileSync(input, `${flights.map((f) => JSON.stringify(f)).join('\n')}\n`);
    const dataDir = join(dir, 'term');
    const args = ['--input', input, '--data-dir', dataDir, '--json', '--metrics-port', '0'];

    const first = startSample(args);
    await waitUntil(() => countRows(join(dataDir, 'alerts.db'), 'verdicts') >= 500, first, first.stderr, dataDir);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(143);
    expect(first.stderr()).toContain('SIGTERM received');
    const stopped = lastJsonLine(first.stdout());
    expect(stopped).toMatchObject({ interrupted: true });
    expect(stopped.flights).toBeLessThan(flights.length);

    const last = await runSample(args);
    expect(last.code).toBe(0);
    const expected = expectedAlerts(flights);
    expect(lastJsonLine(last.stdout)).toMatchObject({ flights: flights.length, alerts: expected.size, failed: 0, interrupted: false });
    const results = readResults(dataDir);
    expect(results.alerts).toEqual(expected);
    expect(results.checkpoints).toBe(0);
  }, 120_000);
});
