import 'reflect-metadata';
import { Minion, Pipeline, Resource, minion, pipeline, resource, step, untracked, AbortWorkflow } from 'minions';

export class Tick { seq = 0; symbol = ''; price = 0; }          // event: data class, no-arg constructor
export class WatchCtx { seq = 0; total = 0; alerted = false; }   // context: no-arg constructor, defaults for every field
export class WatchConfig { threshold = 100; }                    // config: data class; `name!: string` marks a required field

@resource()
export class PriceApi extends Resource {
  async startup() { /* open clients */ }
  async shutdown() { /* close them */ }
  async quote(symbol: string): Promise<number> { return 42; } // methods declared async are tracked
  @untracked async ping() { return true; }                    // ...unless marked untracked
}

@resource({ id: '33333333-3333-4333-8333-333333333333' })     // optional durable id
export class Alerts extends Resource {
  raised = 0;
  constructor(private readonly api: PriceApi) { super(); }     // resolved by constructor type
  async raise(seq: number) { this.raised++; }
}

@pipeline({ event: Tick })
export class TickFeed extends Pipeline<Tick> {
  private seq = 0;
  async produceEvent(): Promise<Tick> {                        // pull style: one event per call
    return Object.assign(new Tick(), { seq: ++this.seq, symbol: 'ACME', price: 101 });
  }
}

@minion({ event: Tick, context: WatchCtx, config: WatchConfig })
export class Watcher extends Minion<Tick, WatchCtx, WatchConfig> {
  constructor(private readonly api: PriceApi, private readonly alerts: Alerts) { super(); }

  @step async price() { this.context.total += await this.api.quote(this.event.symbol); }
  @step async decide() { if (this.context.total < this.config.threshold) throw new AbortWorkflow('below'); }
  @step async act() { await this.alerts.raise(this.event.seq); this.context.alerted = true; }
}
