import { makeProject, removeProject, runCli } from './cli-harness';

describe('minions binary: help and exit codes (0 ok, 1 failure, 2 usage)', () => {
  let dir: string;
  beforeAll(() => { dir = makeProject(); });
  afterAll(() => removeProject(dir));

  it.each([
    [['--help'], /Usage: minions \[options\] \[command\][\s\S]*run[\s\S]*stamp[\s\S]*doctor[\s\S]*inspect[\s\S]*Exit codes: 0 ok, 1 failure, 2 usage/],
    [['run', '--help'], /Usage: minions run \[options\] <entry>[\s\S]*--json[\s\S]*--exit-when-idle/],
    [['stamp', '--help'], /Usage: minions stamp[\s\S]*ids\|component-ids[\s\S]*config-ids[\s\S]*all/],
    [['stamp', 'ids', '--help'], /Usage: minions stamp ids\|component-ids \[options\] <paths\.\.\.>[\s\S]*--dry-run/],
    [['stamp', 'config-ids', '--help'], /Usage: minions stamp config-ids \[options\] <paths\.\.\.>[\s\S]*--dry-run/],
    [['stamp', 'all', '--help'], /Usage: minions stamp all \[options\] <paths\.\.\.>[\s\S]*--json/],
    [['doctor', '--help'], /Usage: minions doctor[\s\S]*ids/],
    [['doctor', 'ids', '--help'], /Usage: minions doctor ids \[options\] <paths\.\.\.>[\s\S]*missing-component-id/],
    [['inspect', '--help'], /Usage: minions inspect \[options\] <db>[\s\S]*--orchestration <id>[\s\S]*--json/],
    [['status', '--help'], /Usage: minions status \[options\][\s\S]*--url <url>[\s\S]*--state-dir <dir>[\s\S]*--token-file <file>[\s\S]*--json/],
    [['restart', '--help'], /Usage: minions restart \[options\] <orchestrationId>[\s\S]*--reload/],
    [['workflows', '--help'], /Usage: minions workflows \[options\][\s\S]*--state <state>[\s\S]*--orchestration <id>/],
  ])('minions %j prints its help on stdout and exits 0', async (args, pattern) => {
    const r = await runCli(args, dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(pattern);
  });

  it('--version prints the package version and exits 0', async () => {
    const r = await runCli(['--version'], dir);
    expect(r).toMatchObject({ code: 0, stdout: '0.1.0\n' });
  });

  it.each([
    [[], /Usage: minions/],
    [['bogus'], /unknown command 'bogus'/],
    [['stamp'], /Usage: minions stamp/],
    [['stamp', 'everything', 'src'], /unknown command 'everything'/],
    [['stamp', 'ids'], /missing required argument 'paths'/],
    [['doctor'], /Usage: minions doctor/],
    [['inspect'], /missing required argument 'db'/],
    [['inspect', 'x.db', '--no-such-option'], /unknown option '--no-such-option'/],
    [['run'], /missing required argument 'entry'/],
    [['drain'], /missing required argument 'orchestrationId'/],
    [['delete'], /missing required argument 'workflowId'/],
    [['workflows', '--state', 'done'], /argument 'done' is invalid/],
    [['status', '--url', 'not a url'], /--url "not a url" is not a URL/],
  ])('minions %j is a usage error: exit 2 with the reason on stderr', async (args, pattern) => {
    const r = await runCli(args, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(pattern);
  });

  it.each([
    [['stamp', 'ids', 'missing-dir'], /missing-dir: no such file or directory/],
    [['doctor', 'ids', 'package.json.nope'], /no such file or directory/],
    [['stamp', 'ids', 'package.json'], /package\.json: not one of the files this command reads: TypeScript sources/],
    [['inspect', 'absent.db'], /absent\.db: no such file/],
    [['inspect', 'package.json'], /package\.json: (cannot open|cannot read)/],
    [['run', 'absent.json'], /absent\.json: no such entry file/],
  ])('minions %j fails: exit 1 with the reason on stderr', async (args, pattern) => {
    const r = await runCli(args, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(pattern);
  });
});
