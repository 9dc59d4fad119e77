/**
 * A worker process of S6: S2's two-step minion over a JetStreamPipeline (a durable consumer all
 * workers share) and a PostgresStateStore (one table all workers share). Prints `ready` once its
 * Gru is up; starts the orchestration when a line `go` arrives on stdin (so the workers start
 * together and process start-up is not timed); on SIGTERM shuts down and prints its figures
 * (a line after `S6_WORKER_PREFIX`: workflows it ran, its store's transactions and writes, peak RSS, CPU seconds).
 * Environment: S6_NATS_URL, S6_STREAM, S6_POSTGRES_URL, S6_SCHEMA.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import type { JsMsg } from 'nats';
import { Gru, JetStreamPipeline, NoOpLogger, PostgresStateStore, pipeline } from '../src/index';
import { S6_WORKER_PREFIX } from './catalog';
import { BenchEvent, Tally, TwoStepMinion } from './components';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (bench/s6.ts sets it)`);
  return value;
};

@pipeline({ event: BenchEvent, id: 'b0000000-0000-4000-8000-000000000061' })
class BenchJetStreamFeed extends JetStreamPipeline<BenchEvent> {
  constructor() {
    // Room for three workers at the runtime's defaults (1,000 in flight + 1,024 buffered each).
    super({ servers: env('S6_NATS_URL'), stream: env('S6_STREAM'), consumer: 'bench', maxAckPending: 10_000 });
  }
  protected decode(msg: JsMsg): BenchEvent {
    return Object.assign(new BenchEvent(), msg.json<BenchEvent>());
  }
}

async function main(): Promise<void> {
  const c0 = process.cpuUsage();
  const store = new PostgresStateStore({ url: env('S6_POSTGRES_URL'), schema: env('S6_SCHEMA') });
  const gru = await Gru.create({ logger: new NoOpLogger(), metrics: null, admin: false, stateStore: store });
  process.once('SIGTERM', () => {
    void gru.shutdown().then(() => {
      const cpu = process.cpuUsage(c0);
      process.stdout.write(S6_WORKER_PREFIX + JSON.stringify({
        workflows: Tally.count, pg_transactions: store.stats.committedBatches, pg_writes: store.stats.committedWrites, peak_rss_mib: +(process.resourceUsage().maxRSS / 1024).toFixed(1), cpu_s: +((cpu.user + cpu.system) / 1e6).toFixed(3),
      }) + '\n');
      process.exit(0);
    }, (e: unknown) => { process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`); process.exit(1); });
  });
  const lines = createInterface({ input: process.stdin });
  lines.once('line', () => {
    lines.close();
    gru.startOrchestration({ pipeline: BenchJetStreamFeed, minion: TwoStepMinion }).catch((e: unknown) => {
      process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
      process.exit(1);
    });
  });
  process.stdout.write('ready\n');
}

main().catch((e: unknown) => { process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`); process.exit(1); });
