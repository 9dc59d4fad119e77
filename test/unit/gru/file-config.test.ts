import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, Gru, InMemoryLogger, InMemoryStateStore, Minion, minion, step } from 'minions';
import { orchestrationId } from '../../../src/core/identity/orchestration-id';
import { componentIdentity } from '../../../src/core/metadata';
import { Feed } from './fixtures/feed';
import { Ev } from './fixtures/model';
import { Tally } from '../../support/events';

class Limits { max = 5; }
class AppConfig { label = 'default'; limits = new Limits(); since = new Date(0); tags: string[] = []; owner!: string; }
class Ctx { seen: string[] = []; }

const orchestrationIdOf = (m: Function, p: Function, configId: string): string =>
  orchestrationId({ minionId: componentIdentity(m), pipelineId: componentIdentity(p), configId });

const seen: Array<{ label: string; max: number; since: string; keys: string[] }> = [];

@minion({ event: Ev, context: Ctx, config: AppConfig })
class Configured extends Minion<Ev, Ctx, AppConfig> {
  @step async record() {
    seen.push({ label: this.config.label, max: this.config.limits.max, since: this.config.since.toISOString(), keys: Object.keys(this.config).sort() });
  }
}

const loaderCalls: string[] = [];

@minion({ event: Ev, context: Ctx, config: AppConfig })
class SelfLoading extends Minion<Ev, Ctx, AppConfig> {
  constructor() { super(); loaderCalls.push('constructed'); }
  async loadConfig(file: string): Promise<AppConfig> {
    loaderCalls.push(`loadConfig ${path.basename(file)}`);
    const [label, owner] = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.startsWith('# custom:'))!.slice(9).trim().split(',');
    return Object.assign(new AppConfig(), { label, owner });
  }
  async startup() { loaderCalls.push(`startup ${this.config.label}`); }
  @step async record() { seen.push({ label: this.config.label, max: this.config.limits.max, since: '', keys: [] }); }
}

describe('SEMANTICS 5: config files (JSON, YAML, TOML) are parsed by extension and validated into the config class', () => {
  let dir: string;
  let gru: Gru;
  const write = (name: string, text: string): string => { const f = path.join(dir, name); fs.writeFileSync(f, text); return f; };
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-file-config-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeEach(async () => { gru = await Gru.create({ stateStore: new InMemoryStateStore(), logger: new InMemoryLogger(), metrics: null }); });
  afterEach(async () => { await gru.shutdown(); seen.length = 0; loaderCalls.length = 0; Feed.count = 2; });

  it.each([
    ['app.json', '{ "_minions_config_id": "cfg-json", "label": "json", "owner": "ops", "limits": { "max": 7 }, "since": "2024-01-02T03:04:05Z" }'],
    ['app.yaml', '# yaml\n_minions_config_id: cfg-yaml\nlabel: yaml\nowner: ops\nlimits:\n  max: 7\nsince: 2024-01-02T03:04:05Z\n'],
    ['app.yml', '_minions_config_id: cfg-yml\nlabel: yml\nowner: ops\nlimits: { max: 7 }\nsince: "2024-01-02T03:04:05Z"\n'],
    ['app.toml', '# toml\n_minions_config_id = "cfg-toml"\nlabel = "toml"\nowner = "ops"\nsince = 2024-01-02T03:04:05Z\n[limits]\nmax = 7\n'],
  ])('%s: values reach this.config; _minions_config_id names the orchestration and never reaches the model', async (name, text) => {
    const file = write(name, text);
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Feed, minion: Configured, configPath: file });
    await gru.whenIdle(orchestrationId);
    const label = path.extname(name).slice(1);
    expect(seen[0]).toEqual({ label, max: 7, since: '2024-01-02T03:04:05.000Z', keys: ['label', 'limits', 'owner', 'since', 'tags'] });
    expect(gru.snapshot().orchestrations[0].configId).toBe(`cfg-${label}`);
    expect(orchestrationId).toBe(orchestrationIdOf(Configured, Feed, `cfg-${label}`));
  });

  it('without _minions_config_id the config identity is the file path (absolute here: the file is outside the working directory)', async () => {
    const file = write('plain.yaml', 'owner: ops\n');
    await gru.startOrchestration({ pipeline: Feed, minion: Configured, configPath: file });
    expect(gru.snapshot().orchestrations[0].configId).toBe(file.split(path.sep).join('/'));
  });

  it.each([
    ['unknown.yaml', 'owner: ops\nlabl: typo\n', 'labl', 'a known key', /Unknown config key "labl" in .*unknown\.yaml for AppConfig; known keys: label, limits, since, tags, owner/],
    ['wrong.toml', 'owner = "ops"\n[limits]\nmax = "many"\n', 'limits.max', 'a number', /Config key "limits\.max" in .*wrong\.toml for Limits must be a number, got string/],
    ['missing.json', '{ "label": "x" }', 'owner', 'a value', /Missing required config key "owner" in .*missing\.json for AppConfig/],
    ['badlist.yaml', 'owner: ops\ntags: one\n', 'tags', 'an array', /Config key "tags" in .*badlist\.yaml for AppConfig must be an array, got string/],
  ])('%s is a ConfigError naming file, key and expected kind, before anything is constructed', async (name, text, key, expected, message) => {
    const file = write(name, text);
    const error = await gru.startOrchestration({ pipeline: Feed, minion: Configured, configPath: file }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ file, key, expected });
    expect((error as Error).message).toMatch(message);
    expect(gru.snapshot().orchestrations).toEqual([]);
  });

  it('a syntax error, a missing file and an unknown extension are ConfigErrors naming the file', async () => {
    const start = (configPath: string) => gru.startOrchestration({ pipeline: Feed, minion: Configured, configPath });
    await expect(start(write('broken.toml', 'label = \n'))).rejects.toThrow(/Config file .*broken\.toml is not valid TOML/);
    await expect(start(write('broken.yaml', 'a: [1\n'))).rejects.toThrow(/Config file .*broken\.yaml is not valid YAML: .*at line \d+, column \d+/);
    await expect(start(path.join(dir, 'absent.json'))).rejects.toThrow(/Cannot read config file .*absent\.json/);
    await expect(start(write('app.ini', 'x=1'))).rejects.toThrow(/unsupported extension "\.ini".*give the minion a loadConfig\(path\) method/);
    await expect(start(write('list.yaml', '- 1\n'))).rejects.toThrow(/must hold an object .* at the top level, got an array/);
  });

  it('a user loadConfig runs after construction and before startup, and its result is validated; the id still comes from the file', async () => {
    const file = write('custom.yaml', '_minions_config_id: custom-id\n# custom: from-loader,ops\n');
    await gru.startOrchestration({ pipeline: Feed, minion: SelfLoading, configPath: file });
    expect(loaderCalls).toEqual(['constructed', 'loadConfig custom.yaml', 'startup from-loader']);
    expect(gru.snapshot().orchestrations[0].configId).toBe('custom-id');

    await gru.shutdown();
    gru = await Gru.create({ stateStore: new InMemoryStateStore(), logger: new InMemoryLogger(), metrics: null });
    const noOwner = write('no-owner.ini', '# custom: x\n');
    const error = await gru.startOrchestration({ pipeline: Feed, minion: SelfLoading, configPath: noOwner }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/Missing required config key "owner" in .*no-owner\.ini/);
  });
});

describe('SEMANTICS 5 / REFERENCE C-05: config is bound before resumed workflows run', () => {
  it('a resumed workflow sees the config file as it is now (same _minions_config_id, new contents)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-config-resume-'));
    const file = path.join(dir, 'app.toml');
    const store = new InMemoryStateStore();
    const options = { stateStore: store, logger: new InMemoryLogger(), metrics: null, stopGraceMs: 0 };
    try {
      fs.writeFileSync(file, '_minions_config_id = "resume-cfg"\nowner = "ops"\nlabel = "v1"\n');
      Blocking.block = true;
      const first = await Gru.create(options);
      const { orchestrationId } = await first.startOrchestration({ pipeline: Feed, minion: Blocking, configPath: file });
      await Blocking.entered.reached(2);
      expect(await first.stopOrchestration(orchestrationId)).toMatchObject({ unfinishedWorkflows: 2 });
      await first.shutdown();

      fs.writeFileSync(file, '_minions_config_id = "resume-cfg"\nowner = "ops"\nlabel = "v2"\n');
      Blocking.block = false;
      Feed.count = 0;
      const second = await Gru.create(options);
      const again = await second.startOrchestration({ pipeline: Feed, minion: Blocking, configPath: file });
      expect(again).toEqual({ orchestrationId, alreadyRunning: false, resumedWorkflows: 2 });
      await second.whenIdle(orchestrationId);
      await second.shutdown();
      expect(Blocking.finished).toEqual(['v2', 'v2']);
      expect(await store.getAllContexts()).toEqual([]);
    } finally {
      Feed.count = 2;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

@minion({ event: Ev, context: Ctx, config: AppConfig })
class Blocking extends Minion<Ev, Ctx, AppConfig> {
  static block = true;
  /** Opened by each workflow blocked in its second step. */
  static entered = new Tally();
  static finished: string[] = [];
  @step async first() { this.context.seen.push(this.config.label); }
  @step async second() {
    if (Blocking.block) {
      Blocking.entered.mark();
      await new Promise((_, reject) => this.signal.addEventListener('abort', () => reject(new Error('stopped'))));
    }
    Blocking.finished.push(this.config.label);
  }
}
