/**
 * The admin commands of the real `minions` binary against a real process: a Gru with two
 * orchestrations whose workflows wait at gates (see admin-fixture.ts), its admin API beside
 * `/metrics`, its token in `state/admin.token`.
 */
import { createServer } from 'node:net';
import * as path from 'node:path';
import { compile, makeProject, removeProject, runCli, startCli, spawnNode, waitFor, writeFiles, type Spawned } from './cli-harness';
import { ADMIN_SERVER_TS } from './admin-fixture';

interface StatusJson {
  orchestrations: Array<{
    orchestrationId: string; minionClass: string; pipelineClass: string; state: string; inflightWorkflows: number; resumedWorkflows: number; startedAt: string | null;
  }>;
  ready: { ready: boolean; reasons: string[] };
}

/** A loopback port that nothing listens on (it did a moment ago). */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((done) => probe.close(() => done()));
  return port;
}

describe('minions status|drain|stop|restart|workflows|retry|delete against a running process', () => {
  let dir: string;
  let server: Spawned;
  let url: string;
  let held: string;
  let drained: string;
  const waitings = (): number => (server.stdout().match(/^waiting \d+$/gm) ?? []).length;
  /** `minions <args> --url <the server> --state-dir state`, run to its end. */
  const cli = (...args: string[]) => runCli([...args, '--url', url, '--state-dir', 'state'], dir);
  const status = async (): Promise<StatusJson> => {
    const r = await cli('status', '--json');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    return JSON.parse(r.stdout) as StatusJson;
  };
  /** Asks for the status (no fixed sleep: one CLI run after another) until `id` is in `state`, while `command` runs. */
  const untilState = async (id: string, state: string, command: Spawned): Promise<StatusJson> => {
    for (;;) {
      const body = await status();
      if (body.orchestrations.find((o) => o.orchestrationId === id)?.state === state) return body;
      if (command.child.exitCode !== null) throw new Error(`${id} was never ${state}; the command ended: ${command.stdout()}${command.stderr()}`);
    }
  };

  beforeAll(async () => {
    dir = makeProject('minions-admin-cli-');
    writeFiles(dir, { 'server.ts': ADMIN_SERVER_TS });
    compile(dir, ['server.ts']);
    server = spawnNode(path.join(dir, 'server.js'), [], dir);
    await waitFor(() => /^drained \S+$/m.test(server.stdout()) && waitings() === 4, server);
    url = /^admin (\S+)$/m.exec(server.stdout())![1];
    held = /^held (\S+)$/m.exec(server.stdout())![1];
    drained = /^drained (\S+)$/m.exec(server.stdout())![1];
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    removeProject(dir);
  });

  it('status prints the running orchestrations with their in-flight workflows, the pipelines, resources and readiness', async () => {
    const r = await cli('status');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^ORCHESTRATION\s+MINION\s+PIPELINE\s+STATE\s+IN-FLIGHT\s+BUFFERED\s+DROPPED\s+RESUMED\s+UP$/);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${held}\\s+HeldMinion\\s+HeldFeed\\s+running\\s+2\\s+0\\s+0\\s+0\\s+\\d`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${drained}\\s+DrainedMinion\\s+DrainedFeed\\s+running\\s+2\\s`)));
    expect(lines).toContainEqual(expect.stringMatching(/^PIPELINE\s+CLASS\s+SUBSCRIBERS\s+ENDED$/));
    expect(r.stdout).toContain('Ready: yes');
    expect(r.stdout).toMatch(/^Process: pid \d+, up /m);
  });

  it('--json prints the API\'s answer; the token also comes from --token-file or $MINIONS_ADMIN_TOKEN', async () => {
    const body = await status();
    expect(body.orchestrations.map((o) => [o.minionClass, o.state, o.inflightWorkflows]).sort()).toEqual([['DrainedMinion', 'running', 2], ['HeldMinion', 'running', 2]]);
    const byFile = await runCli(['status', '--json', '--url', url, '--token-file', 'state/admin.token'], dir);
    expect(byFile.code).toBe(0);
    expect(JSON.parse(byFile.stdout)).toHaveProperty('ready', { ready: true, reasons: [] });
    const token = (await import('node:fs')).readFileSync(path.join(dir, 'state', 'admin.token'), 'utf8').trim();
    const byEnv = await runCli(['workflows', '--json', '--url', url], dir, { MINIONS_ADMIN_TOKEN: token });
    expect(byEnv.code).toBe(0);
    expect(JSON.parse(byEnv.stdout).workflows).toHaveLength(4);
  });

  it('workflows lists the saved workflows, filtered by state and orchestration', async () => {
    const all = await cli('workflows');
    expect(all.code).toBe(0);
    expect(all.stdout.split('\n')[0]).toMatch(/^WORKFLOW\s+ORCHESTRATION\s+STATE\s+NEXT STEP\s+AGE$/);
    expect(all.stdout).toMatch(new RegExp(`^\\S+\\s+${held}\\s+running\\s+hold \\(#0\\)`, 'm'));
    expect(all.stdout).toContain('4 saved workflow(s)');
    const some = await cli('workflows', '--state', 'running', '--orchestration', held, '--json');
    const workflows = (JSON.parse(some.stdout) as { workflows: Array<{ orchestrationId: string; state: string }> }).workflows;
    expect(workflows).toHaveLength(2);
    expect(workflows.every((w) => w.orchestrationId === held && w.state === 'running')).toBe(true);
    expect((await cli('workflows', '--state', 'failed')).stdout).toBe('No saved workflows.\n');
  });

  it('delete and retry of what cannot be deleted or retried fail (exit 1) with the status and the error code', async () => {
    const unknown = await cli('delete', 'no-such-workflow');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(`minions: DELETE ${url}/workflows/no-such-workflow failed with 404 MINIONS_WORKFLOW_NOT_FOUND`);
    const running = JSON.parse((await cli('workflows', '--json', '--orchestration', held)).stdout).workflows[0].workflowId as string;
    const retry = await cli('retry', running);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toMatch(/failed with 4\d\d MINIONS_\w+: .*not a failed workflow/);
  });

  it('a wrong or missing token file fails (exit 1) naming the file; an unreachable server names the URL', async () => {
    writeFiles(dir, { 'wrong.token': 'not-the-token\n' });
    const wrong = await runCli(['status', '--url', url, '--token-file', 'wrong.token'], dir);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`the admin API at ${url} refused the token from token file wrong.token (401`);
    const missing = await runCli(['status', '--url', url], dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read the admin token file admin.token (ENOENT)');
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const unreachable = await runCli(['status', '--url', closed, '--state-dir', 'state'], dir);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`cannot reach the admin API at ${closed} (ECONNREFUSED): check that the process is running`);
  });

  it('restart --reload asks for a redeploy: refused, before anything stops, for an orchestration started with classes', async () => {
    const r = await cli('restart', held, '--reload');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed with 4\d\d MINIONS_\w+: Cannot redeploy HeldMinion: its orchestration was started with the class/);
    expect((await status()).orchestrations.find((o) => o.orchestrationId === held)).toMatchObject({ state: 'running', inflightWorkflows: 2 });
  });

  it('restart drains an orchestration (status shows it draining), then starts it again', async () => {
    const before = (await status()).orchestrations.find((o) => o.orchestrationId === held)!;
    const restarting = startCli(['restart', held, '--url', url, '--state-dir', 'state'], dir);
    await untilState(held, 'draining', restarting);
    server.child.kill('SIGHUP'); // its two workflows finish
    expect(await restarting.exited).toBe(0);
    expect(restarting.stdout()).toBe(`Restarted orchestration ${held}: resumed 0 workflow(s).\n`);
    await waitFor(() => waitings() === 6, server); // the new start's two events wait at the gate
    const after = (await status()).orchestrations.find((o) => o.orchestrationId === held)!;
    expect(after).toMatchObject({ state: 'running', inflightWorkflows: 2, resumedWorkflows: 0 });
    expect(Date.parse(after.startedAt!)).toBeGreaterThan(Date.parse(before.startedAt!));
  });

  it('stop removes an orchestration from status; its workflows wait for its next start', async () => {
    const r = await cli('stop', held);
    expect(r).toMatchObject({ code: 0, stdout: `Stopped orchestration ${held}: 2 unfinished workflow(s) kept for its next start.\n` });
    expect((await status()).orchestrations.map((o) => o.orchestrationId)).toEqual([drained]);
    const pending = JSON.parse((await cli('workflows', '--state', 'pending', '--json')).stdout).workflows as Array<{ orchestrationId: string }>;
    expect(pending.map((w) => w.orchestrationId)).toEqual([held, held]);
  });

  it('drain shows the orchestration draining until its in-flight workflows finish, then removes it', async () => {
    const draining = startCli(['drain', drained, '--url', url, '--state-dir', 'state', '--json'], dir);
    const body = await untilState(drained, 'draining', draining);
    expect(body.ready.ready).toBe(false);
    expect(body.ready.reasons).toContain(`orchestration ${drained} is draining`);
    server.child.kill('SIGUSR2');
    expect(await draining.exited).toBe(0);
    expect(JSON.parse(draining.stdout())).toEqual({ orchestrationId: drained, stopped: true, unfinishedWorkflows: 0, errors: [] });
    const after = await cli('status');
    expect(after.stderr).toBe('');
    expect(after.stdout.split('\n')[0]).toBe('No orchestrations.');
    expect(after.stdout).toContain('Ready: yes');
  });
});
