import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { compile, makeProject, removeProject, runCli, spawnNode, waitFor, writeFiles } from './cli-harness';
import { CONFIG_YAML, CRASH_SCRIPT_TS, FEED_TS, MODEL_TS, workerTs } from './fixture-sources';

interface Listed {
  workflowId: string; orchestrationId: string; minionId: string | null; nextStep: string | null; nextStepIndex: number | null;
  startedAt: string | null; ageMs: number | null; sizeBytes: number; error?: string;
}

describe('minions inspect lists what a killed run left behind (SQLite, read-only)', () => {
  let dir: string;
  let orchestrationId: string;
  beforeAll(async () => {
    dir = makeProject();
    writeFiles(dir, { 'src/model.ts': MODEL_TS, 'src/feed.ts': FEED_TS, 'src/jobs/worker.ts': workerTs(), 'src/crash.ts': CRASH_SCRIPT_TS, 'config/app.yaml': CONFIG_YAML });
    compile(dir, ['src/model.ts', 'src/feed.ts', 'src/jobs/worker.ts', 'src/crash.ts']);
    // A child process starts the orchestration on a SqliteStateStore; each of the 3 workflows
    // blocks inside step `two`; then the process is SIGKILLed mid-step.
    const crash = spawnNode(path.join(dir, 'src/crash.js'), ['state/minions.db'], dir, { FIXTURE_BLOCK: '1' });
    await waitFor(() => (crash.stdout().match(/^blocked \d$/gm) ?? []).length === 3, crash);
    crash.child.kill('SIGKILL');
    expect(await crash.exited).toBe('SIGKILL');
    orchestrationId = /^started (\S+)$/m.exec(crash.stdout())![1];
  });
  afterAll(() => removeProject(dir));

  it('prints one row per saved workflow (id, orchestration, next step, age, size), then one per orchestration', async () => {
    const r = await runCli(['inspect', 'state/minions.db'], dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^WORKFLOW +ORCHESTRATION +NEXT STEP +AGE +SIZE$/);
    const rows = lines.slice(1, 4);
    for (const row of rows) {
      expect(row).toMatch(new RegExp(`^[0-9a-f]{32}  ${orchestrationId}  two \\(#1\\) +\\d+(s|m\\d\\ds) +\\d+ B$`));
    }
    expect(lines.slice(4, 6)).toEqual(['', expect.stringMatching(/^ORCHESTRATION +MINION +WORKFLOWS +NEXT STEPS +OLDEST$/)]);
    expect(lines[6]).toMatch(new RegExp(`^${orchestrationId}  src/jobs/worker\\.js:Worker  3 +two \\(#1\\): 3 +\\d+(s|m\\d\\ds)$`));
    expect(lines.slice(7)).toEqual(['', '3 saved unfinished workflow(s) in 1 orchestration(s)']);
  });

  it('--json gives the decoded envelopes; --orchestration filters', async () => {
    const r = await runCli(['inspect', 'state/minions.db', '--json', '--orchestration', orchestrationId], dir);
    expect(r.code).toBe(0);
    const { workflows } = JSON.parse(r.stdout) as { workflows: Listed[] };
    expect(workflows).toHaveLength(3);
    for (const w of workflows) {
      expect(w).toEqual({
        workflowId: expect.stringMatching(/^[0-9a-f]{32}$/), orchestrationId, minionId: 'src/jobs/worker.js:Worker', nextStep: 'two', nextStepIndex: 1,
        startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), ageMs: expect.any(Number), sizeBytes: expect.any(Number),
      });
      expect(w.sizeBytes).toBeGreaterThan(0);
    }
    const other = await runCli(['inspect', 'state/minions.db', '--orchestration', 'nope'], dir);
    expect(other).toMatchObject({ code: 0, stdout: 'No saved unfinished workflows.\n' });
  });

  it('shows a row it cannot decode as UNDECODABLE, and never writes to the file', async () => {
    const db = new Database(path.join(dir, 'state/minions.db'));
    db.prepare('INSERT INTO workflows (workflow_id, orchestration_id, context) VALUES (?, ?, ?)').run('junk', 'o-junk', Buffer.from([0xc1]));
    db.close();
    const r = await runCli(['inspect', 'state/minions.db', '--orchestration', 'o-junk'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^junk +o-junk +UNDECODABLE: checkpoint blob .* +- +1 B$/m);
    const check = new Database(path.join(dir, 'state/minions.db'), { readonly: true });
    expect((check.prepare('SELECT count(*) AS n FROM workflows').get() as { n: number }).n).toBe(4);
    check.close();
  });

  it('refuses a SQLite file without a workflows table (exit 1)', async () => {
    const other = new Database(path.join(dir, 'other.db'));
    other.exec('CREATE TABLE t (x)');
    other.close();
    const r = await runCli(['inspect', 'other.db'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('other.db: not a Minions state file (it has no workflows table)');
  });

  it('a state file a running process holds: exit 1 at once, naming the holder', async () => {
    const holder = spawnNode(path.join(dir, 'src/crash.js'), ['state/held.db'], dir, { FIXTURE_BLOCK: '1' });
    try {
      await waitFor(() => (holder.stdout().match(/^blocked \d$/gm) ?? []).length === 3, holder);
      const r = await runCli(['inspect', 'state/held.db'], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`minions: state/held.db is held by process ${holder.child.pid} on ${os.hostname()}: a running Gru keeps its ` +
        'state file to itself. Stop that process, then inspect the file.\n');
    } finally {
      holder.child.kill('SIGKILL');
    }
    expect(await holder.exited).toBe('SIGKILL');
  });
});
