/**
 * Rule: an isolated resource's startup() and shutdown() run inside its host, under the common
 * deadlines (startupTimeoutMs, shutdownTimeoutMs); a host that misses one is killed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IsolationDriver } from '../../support/isolation-driver';

jest.setTimeout(120_000);

let dir: string;
let markFile: string;
let driver: IsolationDriver;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-isolation-'));
  markFile = path.join(dir, 'marks.log');
  fs.writeFileSync(markFile, '');
  driver = new IsolationDriver('lifecycle', { ISOLATION_MARK_FILE: markFile });
  await driver.next('ready');
});

afterAll(async () => {
  await driver.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const marks = () => fs.readFileSync(markFile, 'utf8').trim().split('\n').filter(Boolean);

/** Resolves once no process has id `pid` (it was killed and reaped by its parent, the driver). */
async function gone(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setImmediate(r));
  }
}

it('startup() and shutdown() run in the child process, not in the Gru\'s', async () => {
  const { started } = await driver.ask({ start: 'MarksUser' }, 'started');
  expect(started).toEqual(expect.any(String));
  const { stopResult } = await driver.ask({ stop: started }, 'stopResult');
  expect(stopResult).toEqual({ stopped: true, errors: [] });
  const [startup, shutdown] = marks().filter((l) => /^(startup|shutdown) /.test(l));
  const pid = Number(startup.split(' ')[1]);
  expect([startup, shutdown]).toEqual([`startup ${pid}`, `shutdown ${pid}`]);
  expect(pid).not.toBe(driver.child.pid);
  await gone(pid);
});

it('a startup() error in the host fails the start with that error, by its class name', async () => {
  const { started, error } = await driver.ask({ start: 'FailingStartUser' }, 'started');
  expect(started).toBeNull();
  expect(error.name).toBe('OrchestrationStartError');
  expect(error.cause).toMatchObject({ name: 'RangeError', message: 'no index at /nope' });
  expect(error.cause.stack).toContain('resources.js');
  const { resources } = await driver.ask({ states: true }, 'states');
  expect(resources).toEqual([]);
});

it('a startup() past startupTimeoutMs fails the start with StartupTimeoutError and the child is killed', async () => {
  const { started, error } = await driver.ask({ start: 'HangingStartUser' }, 'started');
  expect(started).toBeNull();
  expect(error.cause).toMatchObject({ name: 'StartupTimeoutError', code: 'MINIONS_STARTUP_TIMEOUT' });
  expect(error.cause.message).toContain('HangingStart');
  const pid = Number(marks().find((l) => l.startsWith('hanging '))!.split(' ')[1]);
  await gone(pid);
});

it('a shutdown() past shutdownTimeoutMs is reported by the stop and the child is killed', async () => {
  const { started } = await driver.ask({ start: 'HangingShutdownUser' }, 'started');
  const pid = Number(marks().find((l) => l.startsWith('slow-stop '))!.split(' ')[1]);
  const { stopResult } = await driver.ask({ stop: started }, 'stopResult');
  expect(stopResult.stopped).toBe(true);
  expect(stopResult.errors).toEqual([expect.objectContaining({ name: 'ShutdownTimeoutError', code: 'MINIONS_SHUTDOWN_TIMEOUT' })]);
  expect(stopResult.errors[0].message).toContain('HangingShutdown');
  await gone(pid);
});
