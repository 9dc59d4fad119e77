import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Gru, InMemoryLogger, Minion, Pipeline, SqliteStateStore, minion, pipeline, step } from 'minions';
import { Tally } from '../../support/events';

class Ev { n = 0; }
class Ctx { firstRuns = 0; note = ''; when = new Date(0); }

const runs: string[] = [];
let blockSecond = true;
/** Opened by each workflow blocked in its second step. */
const blocked = new Tally();

@pipeline({ event: Ev })
class Three extends Pipeline<Ev> {
  static live = true;
  async *events() { if (!Three.live) return; for (let n = 1; n <= 3; n++) yield Object.assign(new Ev(), { n }); }
}

@minion({ event: Ev, context: Ctx })
class TwoSteps extends Minion<Ev, Ctx> {
  @step async first() {
    runs.push(`first:${this.event.n}`);
    this.context.firstRuns++;
    this.context.note = `n=${this.event.n}`;
    this.context.when = new Date(1000 * this.event.n);
  }
  @step async second() {
    runs.push(`second:${this.event.n}:${this.context.note}:${this.context.when.getTime()}`);
    if (blockSecond) {
      blocked.mark();
      await new Promise((_, reject) => this.signal.addEventListener('abort', () => reject(new Error('stopped'))));
    }
  }
}

describe('SEMANTICS 5: resume on start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-resume-'));
  const db = path.join(dir, 'state.db');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('interrupted workflows keep their checkpoint and continue from their saved step in a new Gru', async () => {
    const first = await Gru.create({ stateStore: new SqliteStateStore({ path: db }), logger: new InMemoryLogger(), metrics: null, stopGraceMs: 20, cancelTimeoutMs: 500 });
    const { orchestrationId } = await first.startOrchestration({ pipeline: Three, minion: TwoSteps });
    await blocked.reached(3);
    const stop = await first.stopOrchestration(orchestrationId);
    expect(stop).toMatchObject({ stopped: true, unfinishedWorkflows: 3, errors: [] });
    await first.shutdown();

    runs.length = 0;
    blockSecond = false;
    Three.live = false;
    const store = new SqliteStateStore({ path: db });
    const second = await Gru.create({ stateStore: store, logger: new InMemoryLogger(), metrics: null });
    try {
      const again = await second.startOrchestration({ pipeline: Three, minion: TwoSteps });
      expect(again).toEqual({ orchestrationId, alreadyRunning: false, resumedWorkflows: 3 });
      await second.whenIdle(orchestrationId);
      expect(runs.sort()).toEqual(['second:1:n=1:1000', 'second:2:n=2:2000', 'second:3:n=3:3000']);
      expect(await store.getAllContexts()).toEqual([]);
    } finally {
      await second.shutdown();
    }
  });
});
