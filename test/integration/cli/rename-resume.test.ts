import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, makeProject, removeProject, runCli, startCli, waitFor, writeFiles } from './cli-harness';
import { CONFIG_YAML, FEED_TS, MODEL_TS, workerTs } from './fixture-sources';

const GRU = { stateStore: '../state.db', metrics: null, logger: { dir: '../logs', console: false } };

describe('SEMANTICS 2: a stamped class renamed and moved keeps its identity and resumes its saved workflows', () => {
  let dir: string;
  beforeAll(() => { dir = makeProject(); });
  afterAll(() => removeProject(dir));

  it('stamp, run, SIGKILL mid-step; rename the class, move its file and its config; the next run resumes all three workflows', async () => {
    writeFiles(dir, {
      'src/model.ts': MODEL_TS, 'src/feed.ts': FEED_TS, 'src/jobs/worker.ts': workerTs(), 'config/app.yaml': CONFIG_YAML,
      'deploy/old.json': JSON.stringify({ gru: GRU, orchestrations: [{ pipeline: '../src/feed.js', minion: '../src/jobs/worker.js', configPath: '../config/app.yaml' }] }),
      'deploy/new.json': JSON.stringify({ gru: GRU, orchestrations: [{ pipeline: '../src/feed.js', minion: '../src/moved/renamed-worker.js', configPath: '../config/prod/renamed.yaml' }] }),
    });
    const stamp = await runCli(['stamp', 'all', 'src', 'config'], dir);
    expect(stamp.code).toBe(0);
    expect(stamp.stdout).toMatch(/src\/jobs\/worker\.ts:5: stamped Worker \(@minion\)/);
    compile(dir, ['src/model.ts', 'src/feed.ts', 'src/jobs/worker.ts']);

    const old = startCli(['run', 'deploy/old.json', '--json'], dir, { FIXTURE_BLOCK: '1' });
    await waitFor(() => (old.stdout().match(/^blocked \d$/gm) ?? []).length === 3, old);
    old.child.kill('SIGKILL');
    expect(await old.exited).toBe('SIGKILL');
    const { orchestrationId } = JSON.parse(old.stdout().split('\n')[0]) as { orchestrationId: string };

    // Rename the class and move its file; move and rename the config file too.
    const stamped = fs.readFileSync(path.join(dir, 'src/jobs/worker.ts'), 'utf8');
    writeFiles(dir, { 'src/moved/renamed-worker.ts': stamped.replace('export class Worker ', 'export class RenamedWorker ') });
    fs.rmSync(path.join(dir, 'src/jobs'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'config/prod'));
    fs.renameSync(path.join(dir, 'config/app.yaml'), path.join(dir, 'config/prod/renamed.yaml'));
    compile(dir, ['src/moved/renamed-worker.ts']);

    const resumed = await runCli(['run', 'deploy/new.json', '--json', '--exit-when-idle'], dir, { FIXTURE_EVENTS: '0' });
    expect(resumed.stderr).not.toMatch(/error/i);
    expect(resumed.code).toBe(0);
    const lines = resumed.stdout.trim().split('\n');
    expect(JSON.parse(lines[0])).toMatchObject({ event: 'started', orchestrationId, resumedWorkflows: 3, minion: 'src/moved/renamed-worker.js' });
    expect(lines.filter((l) => l.startsWith('finished')).sort()).toEqual([1, 2, 3].map((n) => `finished ${n} label=yaml-label one=one@yaml-label`));
    expect((await runCli(['inspect', 'state.db'], dir)).stdout).toBe('No saved unfinished workflows.\n');
  });
});
