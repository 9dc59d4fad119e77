import { compile, makeProject, removeProject, runCli, startCli, waitFor, writeFiles } from './cli-harness';
import { FEED_TS, MODEL_TS, workerTs } from './fixture-sources';

const GRU = { stateStore: '../state.db', metrics: null, logger: { dir: '../logs', console: true } };
const entry = (config: string) =>
  JSON.stringify({ gru: GRU, orchestrations: [{ pipeline: '../src/feed.js', minion: '../src/jobs/worker.js', configPath: `../config/${config}.yaml` }] });
const WARNING = 'Saved workflows of this minion belong to another orchestration and will not resume';

interface Group {
  orchestrationId: string; minionId: string | null; workflows: number; undecodable: number;
  nextSteps: Array<{ step: string; index: number; workflows: number }>; oldestStartedAt: string | null; oldestAgeMs: number | null;
}

describe('one minion run with config A, then with config B: B warns, inspect groups them by orchestration', () => {
  let dir: string;
  let idA: string;
  let idB: string;
  let stderrA: string;
  let stderrB: string;

  /** Runs an entry until `blocked` workflows wait in step two, then SIGKILLs it. */
  async function runUntilBlocked(config: string, blocked: number): Promise<{ orchestrationId: string; stderr: string }> {
    const run = startCli(['run', `deploy/${config}.json`, '--json'], dir, { FIXTURE_BLOCK: '1', FIXTURE_EVENTS: String(blocked) });
    await waitFor(() => (run.stdout().match(/^blocked \d$/gm) ?? []).length === blocked, run);
    run.child.kill('SIGKILL');
    expect(await run.exited).toBe('SIGKILL');
    return { orchestrationId: (JSON.parse(run.stdout().split('\n')[0]) as { orchestrationId: string }).orchestrationId, stderr: run.stderr() };
  }

  beforeAll(async () => {
    dir = makeProject();
    writeFiles(dir, {
      'src/model.ts': MODEL_TS, 'src/feed.ts': FEED_TS, 'src/jobs/worker.ts': workerTs(),
      'config/a.yaml': 'label: a\n', 'config/b.yaml': 'label: b\n', 'deploy/a.json': entry('a'), 'deploy/b.json': entry('b'),
    });
    compile(dir, ['src/model.ts', 'src/feed.ts', 'src/jobs/worker.ts']);
    ({ orchestrationId: idA, stderr: stderrA } = await runUntilBlocked('a', 3));
    ({ orchestrationId: idB, stderr: stderrB } = await runUntilBlocked('b', 2));
  });
  afterAll(() => removeProject(dir));

  it('the run with config B prints one warning naming A\'s orchestration and its 3 workflows; the first run none', () => {
    expect(idB).not.toBe(idA);
    expect(stderrA).not.toContain(WARNING);
    const lines = stderrB.split('\n').filter((l) => l.includes(WARNING));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ WARN /);
    const fields = JSON.parse(lines[0]!.slice(lines[0]!.indexOf('{'))) as Record<string, unknown>;
    expect(fields).toMatchObject({ orchestration_id: idB, other_orchestration_id: idA, saved_workflows: 3, minion_id: 'src/jobs/worker.js:Worker' });
    expect(fields.suggestion).toContain('minions inspect');
  });

  it('inspect lists the workflows, then one line per orchestration (minion, count, next steps, oldest), and flags the minion', async () => {
    const r = await runCli(['inspect', 'state.db'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^WORKFLOW +ORCHESTRATION +NEXT STEP +AGE +SIZE$/);
    const summary = lines.indexOf('') + 1;
    expect(summary).toBe(7);
    expect(lines[summary]).toMatch(/^ORCHESTRATION +MINION +WORKFLOWS +NEXT STEPS +OLDEST$/);
    const rows = lines.slice(summary + 1, summary + 3).sort();
    const expected = [[idA, 3], [idB, 2]].sort() as Array<[string, number]>;
    rows.forEach((row, i) => {
      const [id, n] = expected[i]!;
      expect(row).toMatch(new RegExp(`^${id}  src/jobs/worker\\.js:Worker  ${n} +two \\(#1\\): ${n} +\\d+(s|m\\d\\ds)$`));
    });
    expect(lines.slice(summary + 3)).toEqual([
      '',
      '5 saved unfinished workflow(s) in 2 orchestration(s)',
      '',
      'Minion src/jobs/worker.js:Worker has saved workflows under 2 orchestrations (it ran with another pipeline or config).',
      'An orchestration resumes only its own: to let them finish, start each again with the pipeline and config it ran with;',
      'delete those no longer wanted.',
    ]);
  });

  it('--json gives the groups too; --orchestration narrows both', async () => {
    const r = await runCli(['inspect', 'state.db', '--json'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { orchestrations: Group[]; workflows: Array<{ orchestrationId: string; minionId: string | null }> };
    const byId = Object.fromEntries(out.orchestrations.map((g) => [g.orchestrationId, g]));
    expect(byId[idA]).toEqual({
      orchestrationId: idA, minionId: 'src/jobs/worker.js:Worker', workflows: 3, undecodable: 0, failed: 0, nextSteps: [{ step: 'two', index: 1, workflows: 3 }],
      oldestStartedAt: expect.stringMatching(/^\d{4}-/), oldestAgeMs: expect.any(Number),
    });
    expect(byId[idB]).toMatchObject({ workflows: 2, nextSteps: [{ step: 'two', index: 1, workflows: 2 }] });
    expect(out.workflows.every((w) => w.minionId === 'src/jobs/worker.js:Worker')).toBe(true);

    const one = JSON.parse((await runCli(['inspect', 'state.db', '--json', '--orchestration', idA], dir)).stdout) as { orchestrations: Group[]; workflows: unknown[] };
    expect(one.orchestrations.map((g) => g.orchestrationId)).toEqual([idA]);
    expect(one.workflows).toHaveLength(3);
  });
});
