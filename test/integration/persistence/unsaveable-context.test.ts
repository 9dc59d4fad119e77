import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Gru, InMemoryLogger, MAX_CHECKPOINT_DEPTH, Minion, Pipeline, SerializationError, SqliteStateStore, minion, pipeline, step,
  type WorkflowOutcome,
} from 'minions';

/**
 * A context that cannot be checkpointed ends its workflow once, as failed, and leaves no
 * checkpoint behind: a restart does not run it again (and repeat its side effects) only to fail
 * the same way. Real Gru, real SqliteStateStore on a file.
 */

class Ev { n = 0; }

class Money {
  constructor(public amount = 0, public currency = 'EUR') {}
  format(): string { return `${this.amount} ${this.currency}`; }
}

class Ctx {
  extra: unknown = null;
  total = new Money();
  formatted = '';
}

/** One event while `live`; nothing once the test turns it off (a restart must bring no new work). */
@pipeline({ event: Ev })
class OneEvent extends Pipeline<Ev> {
  static live = true;
  async *events() { if (OneEvent.live) yield Object.assign(new Ev(), { n: 1 }); }
}

/** What each test's first step puts into the context. */
let put: (ctx: Ctx) => void = () => undefined;
let charged = 0;
let shipped = 0;

@minion({ event: Ev, context: Ctx })
class Checkout extends Minion<Ev, Ctx> {
  @step async charge() { charged++; put(this.context); }
  @step async ship() { shipped++; this.context.formatted = this.context.total.format(); }
}

interface Run {
  outcomes: WorkflowOutcome[];
  errors: unknown[];
  resumed: number;
  left: number;
}

function nest(links: number): Record<string, unknown> {
  let deep: Record<string, unknown> = { end: true };
  for (let i = 0; i < links; i++) deep = { n: deep };
  return deep;
}

describe('SEMANTICS 10: a workflow whose context cannot be saved ends', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-unsaveable-'));
    db = path.join(dir, 'state.db');
    OneEvent.live = true;
    charged = 0;
    shipped = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** One Gru on `db`: starts Checkout, waits until idle, reports outcomes and what the store holds, shuts down. */
  async function runOnce(): Promise<Run> {
    const outcomes: WorkflowOutcome[] = [];
    const errors: unknown[] = [];
    const store = new SqliteStateStore({ path: db });
    const gru = await Gru.create({
      stateStore: store, logger: new InMemoryLogger(), metrics: null,
      hooks: { workflowEnded: (info) => { outcomes.push(info.outcome); errors.push(info.error); } },
    });
    try {
      const { orchestrationId, resumedWorkflows } = await gru.startOrchestration({ pipeline: OneEvent, minion: Checkout });
      await gru.whenIdle(orchestrationId);
      return { outcomes, errors, resumed: resumedWorkflows, left: (await store.getAllContexts()).length };
    } finally {
      await gru.shutdown();
    }
  }

  it('a step puts an unencodable value in the context: the workflow fails once, its checkpoint is removed, a new Gru resumes nothing', async () => {
    put = (ctx) => { ctx.extra = new Map([['a', 1]]); };
    const first = await runOnce();
    expect(first.outcomes).toEqual(['failed']);
    expect(first.errors[0]).toBeInstanceOf(SerializationError);
    expect((first.errors[0] as SerializationError).path).toBe('context.extra');
    expect(first.left).toBe(0);
    expect([charged, shipped]).toEqual([1, 0]);

    OneEvent.live = false;
    const second = await runOnce();
    expect(second.resumed).toBe(0);
    expect(second.outcomes).toEqual([]);
    expect([charged, shipped]).toEqual([1, 0]); // the side effect was not repeated
  });

  it('a context nested past the depth limit fails with a SerializationError naming the path, not a stack overflow', async () => {
    put = (ctx) => { ctx.extra = nest(10_000); };
    const run = await runOnce();
    expect(run.outcomes).toEqual(['failed']);
    const error = run.errors[0] as SerializationError;
    expect(error).toBeInstanceOf(SerializationError);
    expect(MAX_CHECKPOINT_DEPTH).toBe(64);
    expect(error.path).toBe(`context.extra${'.n'.repeat(64)}`);
    expect(error.message).toContain('nested deeper than 64 levels');
    expect(run.left).toBe(0);
  });

  it('a class instance with methods placed where a resume would not rebuild it is refused, naming the path', async () => {
    put = (ctx) => { ctx.extra = new Money(5); };
    const run = await runOnce();
    expect(run.outcomes).toEqual(['failed']);
    const error = run.errors[0] as SerializationError;
    expect(error).toBeInstanceOf(SerializationError);
    expect(error.path).toBe('context.extra');
    expect(error.message).toContain('holds a Money instance with methods (format)');
    expect([charged, shipped]).toEqual([1, 0]);
    expect(run.left).toBe(0);
  });

  it('an instance of the class a context field declares is accepted: the workflow succeeds', async () => {
    put = (ctx) => { ctx.total = new Money(7, 'USD'); };
    const run = await runOnce();
    expect(run.outcomes).toEqual(['succeeded']);
    expect([charged, shipped]).toEqual([1, 1]);
    expect(run.left).toBe(0);
  });
});
