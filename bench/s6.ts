import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { publishToJetStream } from '../src/index';
import { allDone, WorkWatcher } from '../samples/flight-delays/work-left';
import { makeEvent } from './components';
import type { ScenarioDef } from './scenarios';
import { S6_WORKER_PREFIX } from './catalog';

/** Environment variables naming the servers of S6 (`npm run bench` starts throwaway ones and sets them). */
export const S6_ENV = { postgres: 'MINIONS_BENCH_POSTGRES_URL', nats: 'MINIONS_BENCH_NATS_URL' } as const;

interface WorkerFigures { workflows: number; pg_transactions: number; pg_writes: number; peak_rss_mib: number; cpu_s: number; }

/**
 * CPU seconds used so far by the processes named `postgres` and `nats-server` on this machine
 * (Linux /proc: user + system, plus what exited children had used), or `undefined` elsewhere. The
 * bench's throwaway servers are the only ones here; elsewhere the figure counts every such process.
 */
function serverCpuSeconds(): Record<string, number> | undefined {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return undefined;
  }
  const ticks = 100; // USER_HZ on Linux
  const cpu: Record<string, number> = { postgres: 0, nats: 0 };
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const key = name === 'postgres' ? 'postgres' : name === 'nats-server' ? 'nats' : undefined;
    if (!key) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu[key] += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / ticks;
  }
  return cpu;
}

/** One worker process of S6, its output collected. */
class Worker {
  readonly child: ChildProcess;
  private out = '';
  private err = '';
  readonly exited: Promise<number | string>;
  constructor(env: Record<string, string>) {
    this.child = spawn(process.execPath, [join(__dirname, 's6-worker.js')], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => { this.out += s; });
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => { this.err += s; });
    this.exited = new Promise((resolve) => this.child.once('close', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  }
  /** Resolves once it printed `ready`; rejects if it exits first. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => { if (this.out.includes('ready\n')) { this.child.stdout!.off('data', check); resolve(); } };
      this.child.stdout!.on('data', check);
      void this.exited.then((code) => reject(new Error(`S6 worker exited (${code}) before it was ready:\n${this.err}`)));
      check();
    });
  }
  async stop(): Promise<WorkerFigures> {
    this.child.kill('SIGTERM');
    const code = await this.exited;
    const line = this.out.split('\n').find((l) => l.startsWith(S6_WORKER_PREFIX));
    if (code !== 0 || !line) throw new Error(`S6 worker failed (exit ${code}):\n${this.err}`);
    return JSON.parse(line.slice(S6_WORKER_PREFIX.length)) as WorkerFigures;
  }
}

/**
 * S6 with `processes` workers: S2's workload (two steps, a checkpoint before each) through a
 * JetStream stream and a PostgreSQL store shared by the workers. The N events are published
 * first (not timed); the workers start their Gru (not timed), then their orchestrations together;
 * the clock stops when the consumer has nothing pending nor unacknowledged and no checkpoint is
 * left. The rate is N / that time; RSS and CPU are each worker's, and the servers' CPU is
 * measured over the timed part (Linux).
 */
export function s6(processes: number): ScenarioDef {
  return {
    id: `S6-${processes}`,
    async run(n) {
      const pgUrl = process.env[S6_ENV.postgres];
      const natsUrl = process.env[S6_ENV.nats];
      if (!pgUrl || !natsUrl) throw new Error(`S6 needs ${S6_ENV.postgres} and ${S6_ENV.nats} (npm run bench starts throwaway servers and sets them)`);
      const tag = randomBytes(4).toString('hex');
      const stream = `S6_${tag.toUpperCase()}`;
      const schema = `s6_${tag}`;
      await publishToJetStream({ servers: natsUrl, stream }, Array.from({ length: n }, (_, i) => makeEvent(i + 1)));
      const env = { S6_NATS_URL: natsUrl, S6_STREAM: stream, S6_POSTGRES_URL: pgUrl, S6_SCHEMA: schema };
      const workers = Array.from({ length: processes }, () => new Worker(env));
      const watcher = await WorkWatcher.open(
        { servers: natsUrl, stream, consumer: 'bench', ackWaitMs: 30_000, display: natsUrl },
        { url: pgUrl, schema, leaseMs: 30_000, display: pgUrl });
      try {
        await Promise.all(workers.map((w) => w.ready()));
        const cpu0 = serverCpuSeconds();
        const t0 = performance.now();
        for (const w of workers) w.child.stdin!.write('go\n');
        // Polled: the servers announce no "all done" event; 20 ms is well under the run's length.
        while (!allDone(await watcher.left())) await new Promise((r) => setTimeout(r, 20));
        const wallS = (performance.now() - t0) / 1000;
        const cpu1 = serverCpuSeconds();
        const figures = await Promise.all(workers.map((w) => w.stop()));
        const ran = figures.reduce((sum, f) => sum + f.workflows, 0);
        if (ran !== n) throw new Error(`S6-${processes}: the workers ran ${ran} workflows, expected ${n}`);
        return {
          n, wallS, perSecond: n / wallS,
          peakRssMiB: Math.max(...figures.map((f) => f.peak_rss_mib)),
          extra: {
            processes,
            per_process_workflows: figures.map((f) => f.workflows),
            per_process_rss_mib: figures.map((f) => f.peak_rss_mib),
            per_process_cpu_s: figures.map((f) => f.cpu_s),
            // Each worker's checkpoint writes per PostgreSQL transaction (its group commit).
            per_process_writes_per_tx: figures.map((f) => +(f.pg_writes / Math.max(1, f.pg_transactions)).toFixed(1)),
            ...(cpu0 && cpu1 ? { postgres_cpu_s: +(cpu1.postgres - cpu0.postgres).toFixed(2), nats_cpu_s: +(cpu1.nats - cpu0.nats).toFixed(2) } : {}),
          },
        };
      } finally {
        for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
        await watcher.close();
      }
    },
  };
}
