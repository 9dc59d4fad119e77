import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, makeProject, removeProject, runCli, startCli, waitFor, writeFiles, type Spawned } from './cli-harness';
import { CONFIG_YAML, FEED_TS, MODEL_TS, workerTs } from './fixture-sources';

const GRU = { stateStore: 'state/minions.db', metrics: null, logger: { dir: 'logs', console: false }, stopGraceMs: 0 };

const MODULE_ENTRY_TS = `
import { NoOpLogger, SqliteStateStore } from 'minions';
import { Feed } from '../src/feed';

export const orchestrations = [
  { pipeline: Feed, minion: '../src/jobs/worker.js', configPath: '../config/app.yaml' },
];

export async function gruOptions() {
  return { stateStore: new SqliteStateStore({ path: 'module-state.db' }), logger: new NoOpLogger(), metrics: null, handleSignals: true };
}
`;

describe('minions run <entry>', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject();
    writeFiles(dir, {
      'src/model.ts': MODEL_TS, 'src/feed.ts': FEED_TS, 'src/jobs/worker.ts': workerTs(), 'config/app.yaml': CONFIG_YAML,
      'deploy/entry.json': JSON.stringify({
        gru: { ...GRU, stateStore: '../state/minions.db', logger: { dir: '../logs', console: false } },
        orchestrations: [{ pipeline: '../src/feed.js', minion: '../src/jobs/worker.js', configPath: '../config/app.yaml' }],
      }),
      'deploy/module-entry.ts': MODULE_ENTRY_TS,
    });
    compile(dir, ['src/model.ts', 'src/feed.ts', 'src/jobs/worker.ts', 'deploy/module-entry.ts']);
  });
  afterAll(() => removeProject(dir));
  // A failed test must not leave its process running: it would keep jest from exiting.
  const started: Spawned[] = [];
  const leftRunning = (p: Spawned): Spawned => { started.push(p); return p; };
  afterEach(() => {
    for (const p of started.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  });

  it('runs until SIGTERM, then shuts down gracefully (exit 0) keeping interrupted workflows; the next run resumes them', async () => {
    const first = leftRunning(startCli(['run', 'deploy/entry.json'], dir, { FIXTURE_BLOCK: '1' }));
    const running = 'minions: running 1 orchestration(s); press Ctrl-C (SIGINT) or send SIGTERM to stop';
    // stdout and stderr are separate pipes: wait for what is asserted on both
    await waitFor(() => (first.stdout().match(/^blocked \d$/gm) ?? []).length === 3 && first.stderr().includes(running), first);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.stdout()).toMatch(/^started (\S{44}) minion=src\/jobs\/worker\.js pipeline=src\/feed\.js resumed=0$/m);
    expect(first.stderr()).toContain('SIGTERM received: shutting down gracefully');
    expect(first.stderr()).toContain('minions: shut down');
    const orchestrationId = /^started (\S{44})/m.exec(first.stdout())![1];

    const saved = await runCli(['inspect', 'state/minions.db', '--json'], dir);
    const listed = (JSON.parse(saved.stdout) as { workflows: Array<{ orchestrationId: string; nextStep: string }> }).workflows;
    expect(listed).toHaveLength(3);
    expect(listed.every((w) => w.orchestrationId === orchestrationId && w.nextStep === 'two')).toBe(true);

    const second = await runCli(['run', 'deploy/entry.json', '--json', '--exit-when-idle'], dir, { FIXTURE_EVENTS: '0' });
    expect(second.code).toBe(0);
    const lines = second.stdout.trim().split('\n');
    expect(JSON.parse(lines[0])).toEqual({
      event: 'started', orchestrationId, alreadyRunning: false, resumedWorkflows: 3, minion: 'src/jobs/worker.js', pipeline: 'src/feed.js',
    });
    expect(lines.filter((l) => l.startsWith('finished')).sort()).toEqual([1, 2, 3].map((n) => `finished ${n} label=yaml-label one=one@yaml-label`));
    expect(JSON.parse(lines[lines.length - 1])).toEqual({ event: 'shutdown' });
    expect((await runCli(['inspect', 'state/minions.db'], dir)).stdout).toBe('No saved unfinished workflows.\n');
  });

  it('takes a JS module entry (compiled TS) exporting orchestrations (classes or paths) and gruOptions', async () => {
    const r = await runCli(['run', 'deploy/module-entry.js', '--exit-when-idle'], dir);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^started \S{44} minion=src\/jobs\/worker\.js pipeline=Feed resumed=0$/m);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('finished')).sort()).toEqual([1, 2, 3].map((n) => `finished ${n} label=yaml-label one=one@yaml-label`));
    expect(fs.existsSync(path.join(dir, 'module-state.db'))).toBe(true);
  });

  it('fails (exit 1) when a start fails, naming the config file, key and expected kind', async () => {
    writeFiles(dir, {
      'config/bad.toml': 'label = 5\n',
      'deploy/bad-config.json': JSON.stringify({ gru: GRU, orchestrations: [{ pipeline: '../src/feed.js', minion: '../src/jobs/worker.js', configPath: '../config/bad.toml' }] }),
    });
    const r = await runCli(['run', 'deploy/bad-config.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot start src\/jobs\/worker\.js on src\/feed\.js: Config key "label" in .*config\/bad\.toml for JobConfig must be a string, got number/);
  });

  it('fails (exit 1) on an entry of the wrong shape, naming the key', async () => {
    writeFiles(dir, { 'deploy/typo.json': JSON.stringify({ orchestrations: [{ pipeline: 'a.js', minion: 'b.js', confPath: 'x' }] }) });
    const r = await runCli(['run', 'deploy/typo.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('deploy/typo.json: orchestrations[0]: unknown key "confPath"');
  });
});
