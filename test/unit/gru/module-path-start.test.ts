import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Gru, InMemoryLogger, InMemoryStateStore, InvalidComponentError } from 'minions';
import { runs } from './fixtures/single-minion';

const FIXTURES = 'test/unit/gru/fixtures';

describe('API.md ComponentRef: startOrchestration with module paths', () => {
  let gru: Gru;
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-module-path-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => { gru = await Gru.create({ stateStore: new InMemoryStateStore(), logger: new InMemoryLogger(), metrics: null }); });
  afterEach(async () => { await gru.shutdown(); runs.length = 0; });

  it('resolves the single exported subclass of each file, with a config file, from the working directory', async () => {
    const config = path.join(dir, 'single.yaml');
    fs.writeFileSync(config, 'label: from-yaml\n');
    const started = await gru.startOrchestration({ pipeline: `${FIXTURES}/feed`, minion: `./${FIXTURES}/single-minion.ts`, configPath: config });
    await gru.whenIdle(started.orchestrationId);
    expect(runs.sort()).toEqual(['1:from-yaml', '2:from-yaml']);
    expect(gru.snapshot().orchestrations[0]).toMatchObject({
      minionId: `${FIXTURES}/single-minion.ts:Single`, pipelineId: `${FIXTURES}/feed.ts:Feed`,
    });
  });

  it('gives the same orchestration as starting with the classes themselves', async () => {
    const { Single } = await import('./fixtures/single-minion');
    const { Feed } = await import('./fixtures/feed');
    const byPath = await gru.startOrchestration({ pipeline: `${FIXTURES}/feed`, minion: `${FIXTURES}/single-minion` });
    const byClass = await gru.startOrchestration({ pipeline: Feed, minion: Single });
    expect(byClass).toEqual({ orchestrationId: byPath.orchestrationId, alreadyRunning: true, resumedWorkflows: 0 });
  });

  it('takes the default export when a module exports several subclasses', async () => {
    await gru.startOrchestration({ pipeline: `${FIXTURES}/feed`, minion: `${FIXTURES}/default-export` });
    expect(gru.snapshot().orchestrations[0].minionId).toBe(`${FIXTURES}/default-export.ts:TheEntry`);
  });

  it('takes the one decorated class when an undecorated base class is exported beside it', async () => {
    await gru.startOrchestration({ pipeline: `${FIXTURES}/feed`, minion: `${FIXTURES}/base-and-concrete` });
    expect(gru.snapshot().orchestrations[0].minionId).toBe(`${FIXTURES}/base-and-concrete.ts:Concrete`);
  });

  it('refuses a module with several candidates and no default export, listing them', async () => {
    const start = gru.startOrchestration({ pipeline: `${FIXTURES}/feed`, minion: `${FIXTURES}/two-minions` });
    await expect(start).rejects.toThrow(InvalidComponentError);
    await expect(start).rejects.toThrow(/exports several Minion subclasses \(First, Second\).*mark the one to run with `export default`/);
  });

  it('refuses a module with no candidate, and one that cannot be loaded', async () => {
    await expect(gru.startOrchestration({ pipeline: `${FIXTURES}/feed`, minion: `${FIXTURES}/no-minion` }))
      .rejects.toThrow(/Module test\/unit\/gru\/fixtures\/no-minion exports no Minion subclass for OrchestrationSpec\.minion/);
    await expect(gru.startOrchestration({ pipeline: `${FIXTURES}/no-such-file`, minion: `${FIXTURES}/single-minion` }))
      .rejects.toThrow(/OrchestrationSpec\.pipeline: cannot load module test\/unit\/gru\/fixtures\/no-such-file/);
    await expect(gru.startOrchestration({ pipeline: `${FIXTURES}/feed`, minion: '' })).rejects.toThrow(/must be a class or a module path, got an empty string/);
  });
});
