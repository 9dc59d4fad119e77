import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { makeReadOnly } from '../../../support/read-only';
import { waitFor } from '../../../support/spawn-node';
import { lastJsonLine, runSample, startSample, type SampleProcess } from './sample-process';

interface RawFlight { date: string; delay: number; distance: number; origin: string; destination: string }

const raw = JSON.parse(readFileSync(join(__dirname, '../../../../node_modules/vega-datasets/data/flights-20k.json'), 'utf8')) as RawFlight[];

/** No stack trace reaches the user: no `    at ` frame lines on stderr. */
const STACK_FRAME = /^\s+at /m;

describe('flight-delays data directory (compiled, child processes)', () => {
  let dir: string;
  const running: SampleProcess[] = [];
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'flight-data-dir-')); });
  afterEach(() => {
    for (const p of running.splice(0)) {
      if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL'); // SIGKILL ends a stopped process too
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** An ndjson file of the first `count` flights. */
  function input(name: string, count: number): string {
    const file = join(dir, name);
    writeFileSync(file, `${raw.slice(0, count).map((f) => JSON.stringify(f)).join('\n')}\n`);
    return file;
  }

  it('a second process on a data directory in use exits 1 naming the holder; the first finishes with the exact result', async () => {
    const flights = 5000;
    const file = input('first-5000.ndjson', flights);
    const dataDir = join(dir, 'shared');
    const args = ['--input', file, '--data-dir', dataDir, '--json', '--metrics-port', '0'];

    const first = startSample(args);
    running.push(first);
    await waitFor(() => first.stderr().includes('workflows resumed'), first); // it holds the data directory
    // Frozen, it keeps its hold (the lock is the process's) and cannot finish before the second has tried.
    first.child.kill('SIGSTOP');

    const second = await runSample(args);
    expect(second.code).toBe(1);
    const minionsDb = join(dataDir, 'minions.db');
    expect(second.stderr).toBe(`flight-delays: State store ${minionsDb} is held by process ${first.child.pid} on ${hostname()}. ` +
      'Stop that process, or give this Gru a store of its own (another path).\n');
    expect(second.stdout).toBe('');

    first.child.kill('SIGCONT');
    expect(await first.exited).toBe(0);
    const expected = raw.slice(0, flights).filter((f) => f.delay >= 60).length;
    expect(lastJsonLine(first.stdout())).toMatchObject({
      flights, alerts: expected, aborted: flights - expected, failed: 0, processedThisRun: flights, complete: true,
    });
    const db = new Database(join(dataDir, 'alerts.db'), { readonly: true });
    try {
      const rows = db.prepare('SELECT idx FROM alerts ORDER BY idx').all() as Array<{ idx: number }>;
      expect(rows.map((r) => r.idx)).toEqual(raw.slice(0, flights).flatMap((f, i) => (f.delay >= 60 ? [i] : [])));
      expect((db.prepare('SELECT count(*) AS n FROM verdicts').get() as { n: number }).n).toBe(flights);
    } finally {
      db.close();
    }
  }, 120_000);

  it('an alerts.db that is not a database exits 2 naming the file, without a stack trace', async () => {
    const dataDir = join(dir, 'garbage-alerts');
    mkdirSync(dataDir);
    const alertsDb = join(dataDir, 'alerts.db');
    writeFileSync(alertsDb, 'not a database at all, '.repeat(200));
    const r = await runSample(['--input', input('two.ndjson', 2), '--data-dir', dataDir, '--metrics-port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`flight-delays: ${alertsDb} cannot be opened: it is not a SQLite database (file is not a database, SQLITE_NOTADB). ` +
      `Use another --data-dir, or move ${alertsDb} aside to start over (the flights it recorded are then processed again).\n`);
  });

  it('an alerts.db that is a directory exits 2 naming it', async () => {
    const dataDir = join(dir, 'dir-alerts');
    const alertsDb = join(dataDir, 'alerts.db');
    mkdirSync(alertsDb, { recursive: true });
    const r = await runSample(['--input', input('two.ndjson', 2), '--data-dir', dataDir, '--metrics-port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`flight-delays: ${alertsDb} cannot be opened: it is a directory, not a file.`);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('a read-only alerts.db exits 2 saying read-only', async () => {
    const dataDir = join(dir, 'read-only-alerts');
    const file = input('ten.ndjson', 10);
    const args = ['--input', file, '--data-dir', dataDir, '--metrics-port', '0'];
    expect((await runSample(args)).code).toBe(0);
    const alertsDb = join(dataDir, 'alerts.db');
    const readOnly = makeReadOnly(alertsDb);
    if (readOnly === null) throw new Error('no read-only file can be made here (root without mount rights): this test needs a bind mount or a non-root user');
    try {
      const r = await runSample(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`flight-delays: ${alertsDb} cannot be opened for writing: the file is read-only (${readOnly.code}).`);
      expect(r.stderr).not.toMatch(STACK_FRAME);
      expect(r.stderr).not.toContain('ENOENT');
    } finally {
      readOnly.undo();
    }
  });

  it('a minions.db that is not a database exits 2 with the runtime\'s message: file, inspect, move aside', async () => {
    const dataDir = join(dir, 'garbage-minions');
    mkdirSync(dataDir);
    const minionsDb = join(dataDir, 'minions.db');
    writeFileSync(minionsDb, 'garbage '.repeat(1000));
    const r = await runSample(['--input', input('two.ndjson', 2), '--data-dir', dataDir, '--metrics-port', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`flight-delays: State store ${minionsDb} cannot be opened: it is not a SQLite database`);
    expect(r.stderr).toContain(`minions inspect ${minionsDb}`);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });
});
