import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { Packr } from 'msgpackr';
import { Gru, InMemoryLogger, InMemoryStateStore, Minion, Pipeline, SqliteStateStore, minion, pipeline, step, type AnyOrchestrationSpec } from 'minions';
import { Tally } from '../../support/events';

class Ev { n = 0; }
class Ctx { n = 0; }
class Cfg { label = 'a'; }

/** Events the next start of {@link Feed} emits. */
let emit = 0;
/** Marked by each workflow once it waits in its step. */
let waiting = new Tally();

/** Marks {@link waiting}, then rejects once `signal` aborts. */
function waitForStop(signal: AbortSignal): Promise<never> {
  waiting.mark();
  return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}

@pipeline({ event: Ev })
class Feed extends Pipeline<Ev> {
  async *events() { for (let n = 1; n <= emit; n++) yield Object.assign(new Ev(), { n }); }
}

@minion({ id: '0a7e3c52-41d6-4b57-9a8e-6f1d2c3b4a51', event: Ev, context: Ctx, config: Cfg })
class Worker extends Minion<Ev, Ctx, Cfg> {
  /** Waits until the stop aborts this.signal: the workflow is interrupted and keeps its checkpoint. */
  @step async wait() {
    await waitForStop(this.signal);
  }
}

@minion({ id: '5c1b9f0e-2d3a-4e8b-8c7d-9a0b1c2d3e4f', event: Ev, context: Ctx })
class Other extends Minion<Ev, Ctx> {
  @step async wait() {
    await waitForStop(this.signal);
  }
}

const MESSAGE = 'Saved workflows of this minion belong to another orchestration and will not resume';
const A = { pipeline: Feed, minion: Worker, config: { label: 'a' } };
const B = { pipeline: Feed, minion: Worker, config: { label: 'b' } };

describe('SEMANTICS 5: a start warns about saved workflows of its minion under another orchestration id', () => {
  let dir: string;
  let db: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-elsewhere-'));
    db = path.join(dir, 'state.db');
    emit = 0;
    waiting = new Tally();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function gru(logger = new InMemoryLogger()): Promise<Gru> {
    return Gru.create({ stateStore: new SqliteStateStore({ path: db }), logger, metrics: null, stopGraceMs: 0 });
  }

  /** Runs `spec` until `n` workflows wait in their step, then shuts down: `n` saved workflows remain. */
  async function leaveSaved(spec: AnyOrchestrationSpec, n: number): Promise<string> {
    const g = await gru();
    waiting = new Tally();
    try {
      emit = n;
      const [{ orchestrationId }] = await g.startOrchestrations([spec]);
      await waiting.reached(n);
      return orchestrationId;
    } finally {
      await g.shutdown();
      emit = 0;
    }
  }

  it('config A left 3 saved workflows; starting config B logs one warning with the count, A\'s id and what to do', async () => {
    const idA = await leaveSaved(A, 3);
    const logger = new InMemoryLogger();
    const g = await gru(logger);
    try {
      const started = await g.startOrchestration(B);
      expect(started).toMatchObject({ alreadyRunning: false, resumedWorkflows: 0 });
      expect(started.orchestrationId).not.toBe(idA);
      const lines = logger.findAll(MESSAGE);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        fields: expect.objectContaining({
          orchestration_id: started.orchestrationId, minion_id: '0a7e3c52-41d6-4b57-9a8e-6f1d2c3b4a51',
          other_orchestration_id: idA, saved_workflows: 3,
        }),
      });
      const suggestion = lines[0]!.fields!.suggestion as string;
      expect(suggestion).toContain(idA);
      expect(suggestion).toMatch(/start .* again with the pipeline and config it ran with/);
      expect(suggestion).toMatch(/delete them/);
      expect(suggestion).toContain('minions inspect');
    } finally {
      await g.shutdown();
    }
  });

  it('warns once per other orchestration id', async () => {
    const idA = await leaveSaved(A, 2);
    const idB = await leaveSaved(B, 1);
    const logger = new InMemoryLogger();
    const g = await gru(logger);
    try {
      await g.startOrchestration({ pipeline: Feed, minion: Worker, config: { label: 'c' } });
      const counts = Object.fromEntries(logger.findAll(MESSAGE).map((l) => [l.fields!.other_orchestration_id, l.fields!.saved_workflows]));
      expect(counts).toEqual({ [idA]: 2, [idB]: 1 });
    } finally {
      await g.shutdown();
    }
  });

  it('no warning: an empty store, the same config again (it resumes them), or another minion\'s saved workflows', async () => {
    const logger = new InMemoryLogger();
    let g = await gru(logger);
    await g.startOrchestration(A);
    await g.shutdown();
    expect(logger.findAll(MESSAGE)).toEqual([]);

    await leaveSaved(A, 2);
    await leaveSaved({ pipeline: Feed, minion: Other }, 1);
    g = await gru(logger);
    try {
      expect((await g.startOrchestration(A)).resumedWorkflows).toBe(2);
      expect(logger.findAll(MESSAGE)).toEqual([]);
    } finally {
      await g.shutdown();
    }
  });

  it('no warning for an orchestration running, or starting in the same batch, in this process', async () => {
    const idA = await leaveSaved(A, 2);
    const logger = new InMemoryLogger();
    let g = await gru(logger);
    try {
      const [a, b] = await g.startOrchestrations([A, B]);
      expect(a).toMatchObject({ orchestrationId: idA, resumedWorkflows: 2 });
      expect(b!.alreadyRunning).toBe(false);
      expect(logger.findAll(MESSAGE)).toEqual([]);
    } finally {
      await g.shutdown();
    }

    g = await gru(logger);
    try {
      await g.startOrchestration(A);
      await g.startOrchestration(B);
      expect(logger.findAll(MESSAGE)).toEqual([]);
    } finally {
      await g.shutdown();
    }
  });

  it('a checkpoint saved before minion ids were recorded (envelope version 1) still resumes; it cannot be attributed', async () => {
    const idA = await leaveSaved(A, 1);
    const file = new Database(db);
    const packr = new Packr({ useRecords: false });
    const row = file.prepare('SELECT workflow_id, context FROM workflows').get() as { workflow_id: string; context: Buffer };
    const v1: Record<string, unknown> = { ...(packr.unpack(row.context) as Record<string, unknown>), schemaVersion: 1 };
    delete v1.minionId;
    file.prepare('UPDATE workflows SET context = ? WHERE workflow_id = ?').run(packr.pack(v1), row.workflow_id);
    file.close();

    const logger = new InMemoryLogger();
    let g = await gru(logger);
    try {
      await g.startOrchestration(B);
      expect(logger.findAll(MESSAGE)).toEqual([]);
    } finally {
      await g.shutdown();
    }
    g = await gru(logger);
    try {
      expect(await g.startOrchestration(A)).toMatchObject({ orchestrationId: idA, resumedWorkflows: 1 });
    } finally {
      await g.shutdown();
    }
  });

  it('a store that fails the look does not fail the start: one warning says so', async () => {
    class Flaky extends InMemoryStateStore {
      override async summarizeOrchestrations(): Promise<never> { throw new Error('summaries unavailable'); }
    }
    const logger = new InMemoryLogger();
    const g = await Gru.create({ stateStore: new Flaky(), logger, metrics: null });
    try {
      expect((await g.startOrchestration(A)).alreadyRunning).toBe(false);
      expect(logger.findAll('Could not look for saved workflows of this minion under other orchestrations')).toEqual([
        expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ error_message: 'summaries unavailable' }) }),
      ]);
    } finally {
      await g.shutdown();
    }
  });
});
