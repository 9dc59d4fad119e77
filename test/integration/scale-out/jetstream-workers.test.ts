import * as path from 'node:path';
import { connect, type JetStreamManager, type NatsConnection } from 'nats';
import { Client } from 'pg';
import { publishToJetStream } from 'minions';
import { freshStream, natsUrl } from '../../support/nats';
import { freshTable, postgresUrl } from '../../support/postgres';
import { spawnNode, waitFor, type Spawned } from '../../support/spawn-node';

const WORKER = path.resolve(__dirname, '../../../dist/test/fixtures/jetstream-worker.js');
const MESSAGES = 1000;

/** One worker process and what it printed, parsed. */
class Worker {
  readonly proc: Spawned;
  executorId = '';
  readonly started: number[] = [];
  constructor(args: string[], onNew: (n: number) => void) {
    this.proc = spawnNode(WORKER, args, process.cwd());
    let rest = '';
    this.proc.child.stdout!.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        const [word, value] = line.split(' ');
        if (word === 'ready') this.executorId = value!;
        else if (word === 'start') this.started.push(Number(value));
        else if (word === 'new') onNew(Number(value));
      }
    });
  }
  ready(): Promise<void> { return waitFor(() => this.executorId !== '', this.proc); }
  async kill(): Promise<void> { this.proc.child.kill('SIGKILL'); await this.proc.exited; }
  async stop(): Promise<void> { this.proc.child.kill('SIGTERM'); expect(await this.proc.exited).toBe(0); }
}

describe('three worker processes over NATS JetStream and PostgreSQL', () => {
  let pg: Client;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let stream: string;
  let table: string;
  let verdicts: string;
  /** Messages whose verdict row was inserted, across all workers. */
  let recorded: Set<number>;
  let allRecorded: () => void;
  let done: Promise<void>;
  const workers: Worker[] = [];

  const spawn = async (): Promise<Worker> => {
    const w = new Worker([natsUrl(), stream, postgresUrl(), table, verdicts], (n) => {
      recorded.add(n);
      if (recorded.size === MESSAGES) allRecorded();
    });
    workers.push(w);
    await w.ready();
    return w;
  };
  const checkpoints = async (owner?: string): Promise<number> => (await pg.query(
    `SELECT count(*)::int AS n FROM ${table}${owner === undefined ? '' : ' WHERE owner = $1'}`, owner === undefined ? [] : [owner])).rows[0].n;
  /** Waits until `worker` has started this many workflows (it prints a line for each). */
  const startedAtLeast = (worker: Worker, count: number) => waitFor(() => worker.started.length >= count, worker.proc);

  beforeEach(async () => {
    stream = freshStream('JOBS');
    table = freshTable('jsw');
    verdicts = freshTable('verdicts');
    recorded = new Set();
    done = new Promise((resolve) => { allRecorded = resolve; });
    pg = new Client({ connectionString: postgresUrl() });
    await pg.connect();
    await pg.query(`CREATE TABLE ${verdicts} (n int PRIMARY KEY, late boolean NOT NULL)`);
    nc = await connect({ servers: natsUrl() });
    jsm = await nc.jetstreamManager();
    await publishToJetStream({ servers: natsUrl(), stream }, Array.from({ length: MESSAGES }, (_, n) => ({ n })));
  });

  afterEach(async () => {
    for (const w of workers.splice(0)) if (w.proc.child.exitCode === null && w.proc.child.signalCode === null) await w.kill();
    await pg.end();
    await nc.close();
  });

  /** Every message's verdict exactly once, no checkpoint left, every message acknowledged. */
  const expectAllDone = async (): Promise<void> => {
    // On a slow run, says where it stands before the test timeout hits.
    const report = setTimeout(() => {
      void jsm.consumers.info(stream, 'workers').then((info) => process.stderr.write(`still waiting: recorded=${recorded.size} pending=${info.num_pending} unacked=${info.num_ack_pending} redelivered=${info.num_redelivered}\n` +
        workers.map((w) => `${w.executorId} started=${w.started.length} err=${w.proc.stderr().slice(0, 2000)}`).join('\n') + '\n'));
    }, 50_000);
    await done;
    clearTimeout(report);
    for (const w of workers) if (w.proc.child.exitCode === null && w.proc.child.signalCode === null) await w.stop();
    const rows = (await pg.query(`SELECT count(*)::int AS n, count(DISTINCT n)::int AS d, min(n) AS lo, max(n) AS hi FROM ${verdicts}`)).rows[0];
    expect(rows).toEqual({ n: MESSAGES, d: MESSAGES, lo: 0, hi: MESSAGES - 1 });
    expect(await checkpoints()).toBe(0);
    const info = await jsm.consumers.info(stream, 'workers');
    expect({ pending: info.num_pending, unacked: info.num_ack_pending }).toEqual({ pending: 0, unacked: 0 });
  };

  it('give each message to one process when none fails', async () => {
    await Promise.all([spawn(), spawn(), spawn()]);
    await expectAllDone();
    const starts = workers.flatMap((w) => w.started);
    expect(starts).toHaveLength(MESSAGES);
    expect(new Set(starts).size).toBe(MESSAGES);
    for (const w of workers) expect(w.started.length).toBeGreaterThan(0);
  });

  it('finish the workflows of one SIGKILLed mid-run and never restarted', async () => {
    const [victim] = await Promise.all([spawn(), spawn(), spawn()]);
    await startedAtLeast(victim!, 100);
    await victim!.kill();
    // Its checkpoints, owned by it at the kill: the others must finish them.
    const orphaned = await checkpoints(victim!.executorId);
    expect(orphaned).toBeGreaterThan(0);
    await expectAllDone();
  });

  it('finish every workflow when all three are SIGKILLed mid-run and restarted', async () => {
    const first = await Promise.all([spawn(), spawn(), spawn()]);
    await startedAtLeast(first[0]!, 100);
    await Promise.all(first.map((w) => w.kill()));
    expect(recorded.size).toBeLessThan(MESSAGES);
    expect(await checkpoints()).toBeGreaterThan(0);
    await Promise.all([spawn(), spawn(), spawn()]);
    await expectAllDone();
  });
});
