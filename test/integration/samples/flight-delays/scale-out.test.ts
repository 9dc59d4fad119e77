/**
 * The flight-delays sample scaled out: worker processes of the sample over a real PostgreSQL
 * (checkpoints, the shared alerts/verdicts tables) and a real nats-server with JetStream (the
 * flights), started by jest's globalSetup. Workers are killed with SIGKILL; every flight's
 * verdict must still be stored exactly once, and no checkpoint left.
 */
import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Client } from 'pg';
import { defaultFlightsFile } from '../../../../samples/flight-delays/datasets';
import { publishFlights } from '../../../../samples/flight-delays/flight-publisher';
import { openFlights, type FlightInput } from '../../../../samples/flight-delays/input';
import { parseSourceUrl } from '../../../../samples/flight-delays/source-url';
import { parseStateUrl } from '../../../../samples/flight-delays/state-url';
import { WorkWatcher } from '../../../../samples/flight-delays/work-left';
import { AckTap } from '../../../support/jetstream-acks';
import { freshStream, natsUrl } from '../../../support/nats';
import { freshTable, postgresUrl } from '../../../support/postgres';
import { spawnNode } from '../../../support/spawn-node';
import { lastJsonLine, ROOT, runSample, startSample, type SampleProcess } from './sample-process';

jest.setTimeout(240_000);

const LIMIT = 2000;
const THRESHOLD = 60;
const SCALE_OUT = join(ROOT, 'dist/samples/flight-delays/scale-out.js');

/** Rejects when one of `live` exits; never resolves. */
function anyExit(live: SampleProcess[]): Promise<never> {
  const exited = new Promise<never>((_, reject) => {
    for (const p of live) void p.exited.then(() => reject(new Error(`a worker exited (${p.child.exitCode}) before the condition held:\n${p.stderr()}`)));
  });
  exited.catch(() => undefined); // the workers are stopped on purpose once the wait is over
  return exited;
}

describe('flight-delays over PostgreSQL and NATS JetStream', () => {
  let input: FlightInput;
  /** Flights of the first LIMIT with delay >= THRESHOLD: the alerts an uninterrupted run writes. */
  let expectedAlerts: number;
  let dir: string;
  let schema: string;
  let stream: string;
  let state: string;
  let source: string;
  let pg: Client;
  /** Every ack for the test's stream: the waits below wake on them (a message is acked once its workflow ended). */
  let tap: AckTap;
  const workers: SampleProcess[] = [];

  beforeAll(async () => {
    input = await openFlights(defaultFlightsFile(), { limit: LIMIT });
    expectedAlerts = 0;
    for await (const f of input.records()) if (f.delay >= THRESHOLD) expectedAlerts++;
    expect(expectedAlerts).toBeGreaterThan(50);
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flight-scale-out-'));
    schema = freshTable('fd');
    stream = freshStream('FLIGHTS');
    // Short ack wait and lease: a killed worker's flights come back, and are claimed, within seconds.
    state = `${postgresUrl()}?schema=${schema}&lease_ms=1000`;
    source = `${natsUrl()}?stream=${stream}&ack_wait_ms=2000`;
    pg = new Client({ connectionString: postgresUrl() });
    await pg.connect();
    tap = await AckTap.open(natsUrl(), stream);
  });

  afterEach(async () => {
    for (const w of workers.splice(0)) if (w.child.exitCode === null && w.child.signalCode === null) { w.child.kill('SIGKILL'); await w.exited; }
    await pg.end();
    await tap.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async (query: string): Promise<number> => {
    try {
      return (await pg.query<{ n: number }>(query.replaceAll('$schema', `"${schema}"`))).rows[0]!.n;
    } catch (e) {
      if ((e as { code?: string }).code === '42P01') return 0; // not created yet
      throw e;
    }
  };
  const verdicts = () => count('SELECT count(*)::int AS n FROM $schema.verdicts');

  const spawnWorker = (i: number): SampleProcess => {
    const w = startSample(['--limit', String(LIMIT), '--state', state, '--source', source, '--data-dir', join(dir, `worker-${i}`), '--metrics-port', '0', '--json']);
    workers.push(w);
    return w;
  };

  /**
   * Waits until every message is acknowledged (each ack comes after its workflow ended and its
   * checkpoint was deleted), stops the live workers, and checks the consumer and the tables.
   */
  const expectExactlyOnce = async (live: SampleProcess[]): Promise<void> => {
    await tap.until(() => tap.acked.size === LIMIT, anyExit(live));
    for (const w of live) {
      w.child.kill('SIGTERM');
      expect(await w.exited).toBe(0);
      expect(lastJsonLine(w.stdout())).toMatchObject({ inputFlights: LIMIT, interrupted: false });
    }
    const watcher = await WorkWatcher.open(parseSourceUrl(source), parseStateUrl(state));
    try {
      expect(await watcher.left()).toEqual({ pending: 0, unacked: 0, checkpoints: 0 });
    } finally {
      await watcher.close();
    }
    expect(await count('SELECT count(*)::int AS n FROM $schema.alerts')).toBe(expectedAlerts);
    expect(await count(`SELECT count(*)::int AS n FROM $schema.alerts WHERE delay < ${THRESHOLD}`)).toBe(0);
    expect(await verdicts()).toBe(LIMIT);
    expect(await count("SELECT count(*)::int AS n FROM $schema.verdicts WHERE verdict = 'alert'")).toBe(expectedAlerts);
    expect(await count('SELECT count(*)::int AS n FROM $schema.minions_workflows')).toBe(0);
  };

  it('three workers, one SIGKILLed mid-run and never restarted: every verdict once, the others finish its workflows', async () => {
    await publishFlights(parseSourceUrl(source), input);
    const all = [spawnWorker(1), spawnWorker(2), spawnWorker(3)];
    await tap.until(async () => (await verdicts()) >= 200, anyExit(all));
    // The victim: the worker holding the most checkpoints now.
    const owners = await pg.query<{ pid: number; n: number }>(`SELECT e.pid, count(*)::int AS n FROM "${schema}".minions_workflows w
      JOIN "${schema}".minions_workflows_executors e ON e.executor_id = w.owner GROUP BY e.pid ORDER BY n DESC LIMIT 1`);
    const victim = all.find((w) => w.child.pid === owners.rows[0]?.pid)!;
    expect(victim).toBeDefined();
    victim.child.kill('SIGKILL');
    await victim.exited;
    // Its checkpoints, left behind at its death (its lease row stays until it runs out).
    const orphaned = await count(`SELECT count(*)::int AS n FROM $schema.minions_workflows w
      JOIN $schema.minions_workflows_executors e ON e.executor_id = w.owner WHERE e.pid = ${victim.child.pid}`);
    expect(orphaned).toBeGreaterThan(0);
    expect(await verdicts()).toBeLessThan(LIMIT);
    await expectExactlyOnce(all.filter((w) => w !== victim));
  });

  it('all three SIGKILLed mid-run and restarted: every verdict once, no checkpoint left', async () => {
    await publishFlights(parseSourceUrl(source), input);
    const first = [spawnWorker(1), spawnWorker(2), spawnWorker(3)];
    await tap.until(async () => (await verdicts()) >= 200, anyExit(first));
    for (const w of first) w.child.kill('SIGKILL');
    await Promise.all(first.map((w) => w.exited));
    expect(await verdicts()).toBeLessThan(LIMIT);
    expect(await count('SELECT count(*)::int AS n FROM $schema.minions_workflows')).toBeGreaterThan(0);
    const second = [spawnWorker(4), spawnWorker(5), spawnWorker(6)];
    await expectExactlyOnce(second);
  });

  it('npm run sample:scale-out publishes once, runs N workers to the end and prints the summary of npm start', async () => {
    const run = async () => {
      const p = spawnNode(SCALE_OUT, ['--processes', '2', '--limit', '1000', '--state', state, '--source', source, '--data-dir', dir, '--json'], ROOT);
      expect(await p.exited).toBe(0);
      return { summary: lastJsonLine(p.stdout()), stderr: p.stderr() };
    };
    let expected1000 = 0;
    let index = 0;
    for await (const f of input.records()) if (index++ < 1000 && f.delay >= THRESHOLD) expected1000++;
    const first = await run();
    expect(first.stderr).toContain('1000 published now, 0 already there');
    expect(first.summary).toMatchObject({ flights: 1000, alerts: expected1000, failed: 0, inputFlights: 1000, processedThisRun: 1000, complete: true, interrupted: false });
    const processes = first.summary.processes as Array<{ processed: number; peakRssMb: number }>;
    expect(processes).toHaveLength(2);
    expect(processes.reduce((sum, p) => sum + p.processed, 0)).toBe(1000);
    for (const p of processes) expect(p.peakRssMb).toBeGreaterThan(0);
    // Again: nothing published twice, nothing processed twice.
    const second = await run();
    expect(second.stderr).toContain('0 published now, 1000 already there');
    expect(second.summary).toMatchObject({ flights: 1000, alerts: expected1000, processedThisRun: 0, alreadyDone: 1000 });
  });

  describe('a wrong --state or --source', () => {
    const usage = async (args: string[], ...named: string[]) => {
      const r = await runSample(['--limit', '10', '--data-dir', join(dir, 'bad'), '--metrics-port', '0', ...args]);
      expect(r.code).toBe(2);
      for (const n of named) expect(r.stderr).toContain(n);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    };

    it('not a postgres:// or nats:// URL: a usage error naming the flag and the value', async () => {
      await usage(['--state', 'mysql://db/flights'], '--state', 'mysql://db/flights', 'postgres://');
      await usage(['--source', 'http://127.0.0.1:4222'], '--source', 'http://127.0.0.1:4222', 'nats://');
      await usage(['--source', 'nats://127.0.0.1:4222?strem=X'], '--source', 'unknown parameter strem');
    });

    it('a server that does not answer: exit 2 with a message naming it', async () => {
      await usage(['--state', 'postgres://minions:minions@127.0.0.1:1/minions_test'], '127.0.0.1:1', 'minions_test');
      await usage(['--state', state, '--source', 'nats://127.0.0.1:1'], '--source', 'nats://127.0.0.1:1');
    });

    it('sample:scale-out without --state nor its environment variable: a usage error naming both', async () => {
      const p = spawnNode(SCALE_OUT, ['--source', source], ROOT, { FLIGHT_DELAYS_STATE: '' });
      expect(await p.exited).toBe(2);
      expect(p.stderr()).toContain('--state <postgres url> is required (or set FLIGHT_DELAYS_STATE)');
    });
  });
});
