import 'reflect-metadata';
import * as path from 'node:path';
import { Gru, InMemoryLogger, Minion, Pipeline, SqliteStateStore, minion, pipeline, step } from 'minions';
import { makeProject, removeProject, runCli } from './cli-harness';
import { Tally } from '../../support/events';

class Ev { n = 0; }
class Ctx { seen = 0; }

const held = new Tally();
const failedEnded = new Tally();

@pipeline({ event: Ev })
class Two extends Pipeline<Ev> {
  async *events() { yield Object.assign(new Ev(), { n: 1 }); yield Object.assign(new Ev(), { n: 2 }); }
}

/** Event 1 fails in `call` (kept); event 2 waits in `call` until the stop (saved, pending). */
@minion({ event: Ev, context: Ctx })
class Picky extends Minion<Ev, Ctx> {
  @step async first() { this.context.seen = this.event.n; }
  @step async call() {
    if (this.event.n === 1) throw new RangeError('quota exceeded');
    held.mark();
    await new Promise((_, reject) => this.signal.addEventListener('abort', () => reject(new Error('stopped'))));
  }
}

interface Listed { workflowId: string; nextStep: string; failure?: { type: string; message: string; step: string; at: string } }
interface Group { orchestrationId: string; workflows: number; failed: number; nextSteps: Array<{ step: string; workflows: number }> }

describe('minions inspect lists failed workflows kept by workflowFailurePolicy keep', () => {
  let dir: string;
  let failedId: string;
  beforeAll(async () => {
    dir = makeProject();
    const ended: string[] = [];
    const gru = await Gru.create({
      stateStore: new SqliteStateStore({ path: path.join(dir, 'state.db') }), logger: new InMemoryLogger(), metrics: null,
      workflowFailurePolicy: 'keep', stopGraceMs: 0,
      hooks: { workflowEnded: ({ workflowId, outcome }) => { if (outcome === 'failed') { ended.push(workflowId); failedEnded.mark(); } } },
    });
    try {
      await gru.startOrchestration({ pipeline: Two, minion: Picky });
      await held.reached(1);
      await failedEnded.reached(1);
    } finally {
      await gru.shutdown();
    }
    expect(ended).toHaveLength(1);
    failedId = ended[0];
  });
  afterAll(() => removeProject(dir));

  it('inspect lists failed workflows: the text shows them FAILED with error type, message and step, counted apart', async () => {
    const r = await runCli(['inspect', 'state.db'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.find((l) => l.startsWith(failedId))).toMatch(/ {2}FAILED in call \(#1\): RangeError: quota exceeded +\d+s +\d+ B$/);
    expect(lines.filter((l) => / {2}call \(#1\) +\d+s/.test(l))).toHaveLength(1);
    expect(lines.find((l) => / {2}2 +call \(#1\): 1, failed: 1 /.test(l))).toBeDefined();
    expect(lines[lines.length - 1]).toBe(
      "2 saved unfinished workflow(s) in 1 orchestration(s), 1 of them failed (kept by workflowFailurePolicy 'keep': never resumed on their own; retry or delete them)");
  });

  it('inspect --json gives a failed workflow its failure (type, message, step, at) and each orchestration its failed count', async () => {
    const r = await runCli(['inspect', 'state.db', '--json'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { orchestrations: Group[]; workflows: Listed[] };
    const failed = out.workflows.find((w) => w.workflowId === failedId);
    expect(failed?.failure).toEqual({ type: 'RangeError', message: 'quota exceeded', step: 'call', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(out.workflows.filter((w) => w.failure === undefined)).toHaveLength(1);
    expect(out.orchestrations).toEqual([expect.objectContaining({ workflows: 2, failed: 1, nextSteps: [expect.objectContaining({ step: 'call', workflows: 1 })] })]);
  });
});
