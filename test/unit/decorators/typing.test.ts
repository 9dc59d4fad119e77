import 'reflect-metadata';
import { Gru, Minion, Pipeline, minion, pipeline, step } from 'minions';

// Compile-time contract of API.md: each `@ts-expect-error` below must stay an error, or
// ts-jest fails this file ("Unused '@ts-expect-error' directive").
class Tick { seq = 0; }
class Quote { symbol = ''; }
class SubTick extends Tick { extra = 1; }
class Ctx { n = 0; }
class Cfg { threshold = 1; }

@pipeline({ event: Tick })
class TickFeed extends Pipeline<Tick> { async produceEvent() { return new Tick(); } }

@pipeline({ event: SubTick })
class SubFeed extends Pipeline<SubTick> { async produceEvent() { return new SubTick(); } }

@pipeline({ event: Quote })
class QuoteFeed extends Pipeline<Quote> { async produceEvent() { return new Quote(); } }

@minion({ event: Tick, context: Ctx, config: Cfg })
class Watcher extends Minion<Tick, Ctx, Cfg> { @step async s() {} }

// @ts-expect-error a forgotten config type: the class says Cfg, the decorator none
@minion({ event: Tick, context: Ctx })
class ForgotConfig extends Minion<Tick, Ctx, Cfg> { @step async s() {} }

// @ts-expect-error the decorator's event class differs from the base class's
@minion({ event: Quote, context: Ctx })
class WrongEvent extends Minion<Tick, Ctx> { @step async s() {} }

// @ts-expect-error the decorator gives a config the class does not declare
@minion({ event: Tick, context: Ctx, config: Cfg })
class ExtraConfig extends Minion<Tick, Ctx> { @step async s() {} }

async function compileOnly(gru: Gru) {
  await gru.startOrchestration({ pipeline: TickFeed, minion: Watcher, config: { threshold: 3 } });
  await gru.startOrchestration({ pipeline: SubFeed, minion: Watcher }); // a subclass event is fine
  // @ts-expect-error a misspelt inline config key
  await gru.startOrchestration({ pipeline: TickFeed, minion: Watcher, config: { treshold: 3 } });
  // @ts-expect-error the pipeline's events are not the minion's
  await gru.startOrchestration({ pipeline: QuoteFeed, minion: Watcher });
}

describe('API.md: decorator and spec types', () => {
  it('compiles the valid forms and refuses the mismatches (checked by the type checker)', () => {
    expect([ForgotConfig, WrongEvent, ExtraConfig, compileOnly]).toHaveLength(4);
  });
});
