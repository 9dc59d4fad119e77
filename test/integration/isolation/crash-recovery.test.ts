/**
 * Rule: a worker or child that dies mid-call (SIGKILL, SIGSEGV, an uncaught exception, past its
 * memory bound) rejects the call in flight with the retryable IsolatedResourceCrashedError and
 * is restarted; the Gru keeps running, and a step with `@step({ retry })` ends with the exact result.
 */
import { IsolationDriver } from '../../support/isolation-driver';

jest.setTimeout(120_000);

let driver: IsolationDriver;
let orchestrationId: string;

beforeAll(async () => {
  driver = new IsolationDriver('calls');
  orchestrationId = (await driver.next('ready')).calculator;
});

afterAll(() => driver.close());

/** The host serving `resource` now (thread id or process id), asked outside any workflow. */
async function hostOf(resource: string): Promise<number> {
  const reply = await driver.ask({ call: resource, method: 'host' }, 'result');
  return reply.result as number;
}

async function expectGruRunning(): Promise<void> {
  const { states } = await driver.ask({ states: true }, 'states');
  expect(states).toEqual([{ id: orchestrationId, state: 'running' }]);
}

function expectCrashed(caught: any, resource: string, isolation: string, how: { signal?: string; exitCode?: number; method: string }): void {
  expect(caught).toMatchObject({
    name: 'IsolatedResourceCrashedError', code: 'MINIONS_ISOLATED_RESOURCE_CRASHED', retryable: true, isCrashed: true, isInstance: true,
    resource, isolation, method: how.method, gaveUp: false, signal: how.signal ?? null, exitCode: how.exitCode ?? null,
  });
  expect(caught.identity).toMatch(/^5a1c0000-/);
  expect(caught.message).toContain(resource);
  expect(caught.message).toContain(`${how.method}()`);
}

describe('a host that dies mid-call is restarted and the retried step gets the exact result', () => {
  it('child process killed with SIGKILL during a call', async () => {
    const before = await hostOf('ProcessCalc');
    const { from, ended } = driver.emit({ n: 41, mode: 'kill-child' });
    const pid = await driver.next('inFlight', () => true, from);
    expect(pid).toBe(before);
    process.kill(pid, 'SIGKILL');
    const { outcome, context, caught } = await ended;
    expect(caught).toHaveLength(1);
    expectCrashed(caught[0], 'ProcessCalc', 'process', { signal: 'SIGKILL', method: 'hang' });
    expect({ outcome, context }).toEqual({ outcome: 'succeeded', context: { value: 42, tries: 2 } });
    expect(await hostOf('ProcessCalc')).not.toBe(before);
    await expectGruRunning();
  });

  it('child process segfaults (SIGSEGV) during a call', async () => {
    const before = await hostOf('ProcessCalc');
    const { outcome, context, caught } = await driver.emit({ n: 9, mode: 'segv-child' }).ended;
    expect(caught).toHaveLength(1);
    expectCrashed(caught[0], 'ProcessCalc', 'process', { signal: 'SIGSEGV', method: 'segfault' });
    expect({ outcome, context }).toEqual({ outcome: 'succeeded', context: { value: 10, tries: 2 } });
    expect(await hostOf('ProcessCalc')).not.toBe(before);
    await expectGruRunning();
  });

  it('worker thread dies of an uncaught exception during a call', async () => {
    const before = await hostOf('WorkerCalc');
    const { outcome, context, caught } = await driver.emit({ n: 99, mode: 'crash-worker' }).ended;
    expect(caught).toHaveLength(1);
    expectCrashed(caught[0], 'WorkerCalc', 'worker', { exitCode: 1, method: 'crashMidCall' });
    expect(caught[0].reason).toBe('uncaught Error: uncaught in the worker');
    expect({ outcome, context }).toEqual({ outcome: 'succeeded', context: { value: 100, tries: 2 } });
    expect(await hostOf('WorkerCalc')).not.toBe(before);
    await expectGruRunning();
  });

  it('worker thread past its maxMemoryMiB heap during a call', async () => {
    const { outcome, context, caught } = await driver.emit({ n: 1, mode: 'oom-worker' }).ended;
    expect(caught).toHaveLength(1);
    expect(caught[0]).toMatchObject({ name: 'IsolatedResourceCrashedError', resource: 'HungryWorker', isolation: 'worker', method: 'eatMemory', retryable: true });
    expect(caught[0].reason).toMatch(/heap over maxMemoryMiB 32 \(ERR_WORKER_OUT_OF_MEMORY\)/);
    expect({ outcome, context }).toEqual({ outcome: 'succeeded', context: { value: 2, tries: 2 } });
    await expectGruRunning();
  });

  it('child process past its maxMemoryMiB resident set is killed by the watchdog during a call', async () => {
    const before = await hostOf('ProcessCalc');
    const { outcome, context, caught } = await driver.emit({ n: 5, mode: 'oom-child' }).ended;
    expect(caught).toHaveLength(1);
    expect(caught[0]).toMatchObject({ name: 'IsolatedResourceCrashedError', resource: 'HungryChild', isolation: 'process', method: 'eatMemory', signal: 'SIGKILL' });
    expect(caught[0].reason).toMatch(/^resident set \d+ MiB over maxMemoryMiB 96$/);
    expect({ outcome, context }).toEqual({ outcome: 'succeeded', context: { value: 6, tries: 2 } });
    expect(await hostOf('ProcessCalc')).toBe(before); // another resource's host is untouched
    await expectGruRunning();
  });
});

describe('calls across the boundary', () => {
  it('an application error comes back with its class name, message, code and stack; the host stays', async () => {
    const before = await hostOf('WorkerCalc');
    const reply = await driver.ask({ call: 'WorkerCalc', method: 'rejects' }, 'result');
    expect(reply.error).toMatchObject({ name: 'TypeError', message: 'bad input for WorkerCalc', code: 'E_BAD_INPUT', isCrashed: false });
    expect(reply.error.stack).toContain('resources.js');
    expect(await hostOf('WorkerCalc')).toBe(before);
  });

  it('an isolated resource calls its isolated constructor dependency from its own host', async () => {
    const { outcome, context } = await driver.emit({ n: 21, mode: 'doubler' }).ended;
    expect({ outcome, context }).toEqual({ outcome: 'succeeded', context: { value: 42, tries: 1 } });
  });
});
