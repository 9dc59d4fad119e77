/**
 * The process the admin command tests steer: a script that starts a Gru (SQLite store in
 * `state/`, so the admin token lands in `state/admin.token`; the admin served beside `/metrics` on
 * a free port) with two orchestrations, HeldMinion on HeldFeed and DrainedMinion on DrainedFeed.
 * Each feed emits two events at each start; each workflow's first step prints `waiting <k>` (k
 * counts all of them) and waits: HeldMinion's until SIGHUP releases those waiting then
 * (`released held`), DrainedMinion's until SIGUSR2 opens its gate for good (`released drained`),
 * or until the orchestration stops. Drains wait as long as that takes (`drainTimeoutMs: null`).
 * The script prints `admin <url>`, `held <orchestrationId>` and `drained <orchestrationId>`;
 * SIGTERM shuts it down (exit 0).
 */
export const ADMIN_SERVER_TS = `
import 'reflect-metadata';
import { Gru, Minion, NoOpLogger, Pipeline, PrometheusMetrics, SqliteStateStore, minion, pipeline, step } from 'minions';

class Parcel { n = 0; }
class ParcelContext { done = false; }

let waiting = 0;
const waiters: Record<string, Array<() => void>> = { held: [], drained: [] };
let drainedOpen = false;
function release(name: string): void {
  for (const w of waiters[name].splice(0)) w();
  process.stdout.write('released ' + name + '\\n');
}
process.on('SIGHUP', () => release('held'));
process.on('SIGUSR2', () => { drainedOpen = true; release('drained'); });

async function* two() {
  for (let n = 1; n <= 2; n++) yield Object.assign(new Parcel(), { n });
}

async function gate(name: string, signal: AbortSignal): Promise<void> {
  if (name === 'drained' && drainedOpen) return;
  waiting++;
  process.stdout.write('waiting ' + waiting + '\\n');
  await new Promise<void>((resolve, reject) => {
    waiters[name].push(resolve);
    signal.addEventListener('abort', () => reject(new Error('stopped at the gate')), { once: true });
  });
}

@pipeline({ event: Parcel })
export class HeldFeed extends Pipeline<Parcel> {
  events() { return two(); }
}

@pipeline({ event: Parcel })
export class DrainedFeed extends Pipeline<Parcel> {
  events() { return two(); }
}

@minion({ event: Parcel, context: ParcelContext })
export class HeldMinion extends Minion<Parcel, ParcelContext> {
  @step async hold() { await gate('held', this.signal); }
  @step async finish() { this.context.done = true; }
}

@minion({ event: Parcel, context: ParcelContext })
export class DrainedMinion extends Minion<Parcel, ParcelContext> {
  @step async hold() { await gate('drained', this.signal); }
  @step async finish() { this.context.done = true; }
}

async function main(): Promise<void> {
  const gru = await Gru.create({
    stateStore: new SqliteStateStore({ path: 'state/minions.db' }), logger: new NoOpLogger(),
    metrics: new PrometheusMetrics({ port: 0, defaultMetrics: false }), stopGraceMs: 0, drainTimeoutMs: null,
  });
  // Stay up with no orchestration left (after drain and stop), until SIGTERM.
  const alive = setInterval(() => undefined, 1 << 30);
  process.once('SIGTERM', () => { clearInterval(alive); void gru.shutdown().then(() => process.exit(0)); });
  const [held, drained] = await gru.startOrchestrations([
    { minion: HeldMinion, pipeline: HeldFeed }, { minion: DrainedMinion, pipeline: DrainedFeed },
  ]);
  process.stdout.write('admin ' + gru.adminUrl + '\\nheld ' + held.orchestrationId + '\\ndrained ' + drained.orchestrationId + '\\n');
}
main().catch((e: Error) => { process.stderr.write((e.stack ?? String(e)) + '\\n'); process.exit(1); });
`;
