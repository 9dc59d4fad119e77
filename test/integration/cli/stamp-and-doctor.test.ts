import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeProject, removeProject, runCli, writeFiles } from './cli-harness';
import { CONFIG_YAML, FEED_TS, MODEL_TS, workerTs } from './fixture-sources';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const TOML = `# limits for the worker
label = "toml-label" # trailing comment

[extra]
x = 1
`;
const JSON_CONFIG = '{\n    "label": "json-label"\n}\n';

interface StampEntry { file: string; line?: number; action: string; target: string; kind?: string; className?: string; id?: string }
interface Finding { file: string; line: number; code: string; message: string }

describe('minions stamp and minions doctor ids on a fixture project', () => {
  let dir: string;
  const read = (name: string): string => fs.readFileSync(path.join(dir, name), 'utf8');
  const original: Record<string, string> = {
    'src/model.ts': MODEL_TS, 'src/feed.ts': FEED_TS, 'src/jobs/worker.ts': workerTs(),
    'config/app.yaml': CONFIG_YAML, 'config/limits.toml': TOML, 'config/app.json': JSON_CONFIG,
  };
  beforeAll(() => {
    dir = makeProject();
    writeFiles(dir, original);
    writeFiles(dir, { 'tsconfig.json': '{ "compilerOptions": {} }\n', 'run.json': '{ "orchestrations": [] }\n' });
  });
  afterAll(() => removeProject(dir));

  it('doctor ids fails before stamping, one line per finding (file:line: code: message)', async () => {
    const r = await runCli(['doctor', 'ids', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^config\/app\.json:1: missing-config-id: /),
      expect.stringMatching(/^config\/app\.yaml:1: missing-config-id: /),
      expect.stringMatching(/^config\/limits\.toml:1: missing-config-id: /),
      expect.stringMatching(/^src\/feed\.ts:5: missing-component-id: Feed \(@pipeline\) has no id: run `minions stamp ids src\/feed\.ts`$/),
      expect.stringMatching(/^src\/jobs\/worker\.ts:5: missing-component-id: Worker \(@minion\) has no id/),
    ]);
    expect(r.stderr).toContain('5 identity issue(s) found');
  });

  it('stamp all --dry-run says what it would do and changes nothing', async () => {
    const r = await runCli(['stamp', 'all', 'src', 'config', '--dry-run'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^src\/feed\.ts:5: would stamp Feed \(@pipeline\) with id [0-9a-f-]{36}$/m);
    expect(r.stdout).toMatch(/^config\/limits\.toml: would stamp _minions_config_id [0-9a-f-]{36}$/m);
    for (const [name, text] of Object.entries(original)) expect(read(name)).toBe(text);
  });

  it('stamp all writes fresh UUIDs, keeping formatting and comments; YAML/TOML get a one-line generated comment', async () => {
    const r = await runCli(['stamp', 'all', '.', '--json'], dir);
    expect(r.code).toBe(0);
    const entries = JSON.parse(r.stdout) as StampEntry[];
    const stamped = entries.filter((e) => e.action === 'stamped');
    expect(stamped.map((e) => e.file).sort()).toEqual(['config/app.json', 'config/app.yaml', 'config/limits.toml', 'src/feed.ts', 'src/jobs/worker.ts']);
    for (const e of stamped) expect(e.id).toMatch(UUID);
    expect(new Set(stamped.map((e) => e.id)).size).toBe(5);
    expect(entries).toContainEqual(expect.objectContaining({ file: 'run.json', action: 'skipped' }));
    const idOf = (file: string): string => stamped.find((e) => e.file === file)!.id!;

    expect(read('src/feed.ts')).toBe(FEED_TS.replace('@pipeline({ event: Job })', `@pipeline({ event: Job, id: '${idOf('src/feed.ts')}' })`));
    expect(read('src/jobs/worker.ts')).toBe(workerTs('Worker', `id: '${idOf('src/jobs/worker.ts')}'`));
    expect(read('src/model.ts')).toBe(MODEL_TS);
    const comment = '# _minions_config_id was added by `minions stamp config-ids`: it names this config\'s orchestrations; keep it as it is.';
    expect(read('config/app.yaml')).toBe(`${comment}\n_minions_config_id: "${idOf('config/app.yaml')}"\n${CONFIG_YAML}`);
    expect(read('config/limits.toml')).toBe(`${comment}\n_minions_config_id = "${idOf('config/limits.toml')}"\n${TOML}`);
    expect(read('config/app.json')).toBe(`{\n    "_minions_config_id": "${idOf('config/app.json')}",\n    "label": "json-label"\n}\n`);
    expect(read('tsconfig.json')).toBe('{ "compilerOptions": {} }\n');
    expect(read('package.json')).not.toContain('_minions_config_id');
  });

  it('then doctor ids passes, and stamping again changes nothing', async () => {
    const doctor = await runCli(['doctor', 'ids', '.'], dir);
    expect(doctor).toMatchObject({ code: 0, stdout: 'No identity issues found.\n' });
    const before = read('src/jobs/worker.ts');
    const again = await runCli(['stamp', 'all', 'src', 'config'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('src/jobs/worker.ts: no missing component ids');
    expect(again.stdout).toContain('config/app.yaml: already has _minions_config_id');
    expect(read('src/jobs/worker.ts')).toBe(before);
  });

  it('doctor ids fails on a duplicate id, naming both places; --json gives the findings', async () => {
    writeFiles(dir, { 'src/jobs/copy.ts': read('src/jobs/worker.ts').replace('class Worker', 'class WorkerCopy') });
    fs.copyFileSync(path.join(dir, 'config/app.yaml'), path.join(dir, 'config/copy.yaml'));
    const r = await runCli(['doctor', 'ids', 'src', 'config'], dir);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines).toContainEqual(expect.stringMatching(
      /^src\/jobs\/copy\.ts:9: duplicate-component-id: WorkerCopy \(@minion\) id [0-9a-f-]{36} is also used by src\/jobs\/worker\.ts:9 Worker \(@minion\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^src\/jobs\/worker\.ts:9: duplicate-component-id: Worker \(@minion\) .* also used by src\/jobs\/copy\.ts:9 WorkerCopy/));
    expect(lines).toContainEqual(expect.stringMatching(/^config\/copy\.yaml:2: duplicate-config-id: .* also used by config\/app\.yaml:2$/));
    expect(lines).toContainEqual(expect.stringMatching(/^config\/app\.yaml:2: duplicate-config-id: .* also used by config\/copy\.yaml:2$/));

    const json = await runCli(['doctor', 'ids', 'src', '--json'], dir);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; findings: Finding[] };
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => [f.file, f.line, f.code])).toEqual([
      ['src/jobs/copy.ts', 9, 'duplicate-component-id'], ['src/jobs/worker.ts', 9, 'duplicate-component-id'],
    ]);
  });

  it('doctor ids reports invalid ids and ids it cannot read; doctor never writes', async () => {
    writeFiles(dir, {
      'bad/bad.ts': "import { resource, pipeline } from 'minions';\nconst OPTS = { event: X };\n" +
        "@resource({ id: 'NOT-A-UUID' })\nclass R {}\n@pipeline(OPTS)\nclass P {}\n",
      'bad/bad.toml': '_minions_config_id = 42\n',
      'bad/broken.yaml': 'a: [1\n',
    });
    const before = read('bad/bad.ts');
    const r = await runCli(['doctor', 'ids', 'bad'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toEqual([
      'bad/bad.toml:1: invalid-config-id: _minions_config_id 42 is not a canonical lowercase UUID',
      'bad/bad.ts:3: invalid-component-id: R (@resource) id "NOT-A-UUID" is not a canonical lowercase UUID',
      expect.stringMatching(/^bad\/bad\.ts:5: unverifiable-component-id: P \(@pipeline\): cannot check the id, the decorator options are not an object literal/),
      expect.stringMatching(/^bad\/broken\.yaml:1: unreadable-file: Config file .*broken\.yaml is not valid YAML/),
    ]);
    expect(read('bad/bad.ts')).toBe(before);
  });

  it('stamp reports a file it cannot edit (exit 1) and still stamps the others', async () => {
    writeFiles(dir, { 'mixed/flow.yaml': '{ label: x }\n', 'mixed/ok.toml': 'label = "y"\n' });
    const r = await runCli(['stamp', 'config-ids', 'mixed'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mixed\/flow\.yaml: .*flow style/);
    expect(r.stdout).toMatch(/mixed\/ok\.toml: stamped _minions_config_id/);
    expect(read('mixed/flow.yaml')).toBe('{ label: x }\n');
  });
});
