import 'reflect-metadata';
import { Gru } from 'minions';
import { TickFeed, Watcher } from './watcher';

/** The README's example, run for one second with the embedded defaults. */
async function main(): Promise<void> {
  const gru = await Gru.create({ handleSignals: true });       // embedded defaults: SQLite, winston, prom-client
  const started = await gru.startOrchestration({ pipeline: TickFeed, minion: Watcher, config: { threshold: 100 } });
  await new Promise((r) => setTimeout(r, 1000));
  const stop = await gru.stopOrchestration(started.orchestrationId);
  await gru.shutdown();
  console.log(`orchestration ${started.orchestrationId} stopped; unfinished workflows: ${stop.unfinishedWorkflows}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
