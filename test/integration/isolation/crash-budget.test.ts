/**
 * Rule: an isolated resource whose host crashes `maxCrashes` times within `crashWindowMs` is not
 * restarted again: it fails, and exactly the orchestrations that depend on it stop as failed.
 */
import { IsolationDriver } from '../../support/isolation-driver';

jest.setTimeout(120_000);

let driver: IsolationDriver;
let ids: { fragile: string; bystander: string };

beforeAll(async () => {
  driver = new IsolationDriver('fragile');
  ids = await driver.next('ready');
});

afterAll(() => driver.close());

it('N crashes within the window fail the resource and stop its dependents; the Gru and the others keep running', async () => {
  // Fragile: maxCrashes 3 within 60 s. Two crashes: each call rejects as retryable, the host comes back.
  for (const n of [1, 2]) {
    const { outcome, caught } = await driver.emit({ n, mode: 'crash' }).ended;
    expect(outcome).toBe('failed');
    expect(caught[0]).toMatchObject({ name: 'IsolatedResourceCrashedError', resource: 'Fragile', method: 'crash', exitCode: 3, retryable: true, gaveUp: false });
  }
  expect((await driver.emit({ n: 3, mode: 'ok' }).ended).context.value).toBe('ok');

  const stopped = driver.next('stopped', (s) => s.orchestrationId === ids.fragile);
  const third = await driver.emit({ n: 4, mode: 'crash' }).ended;
  expect(third.caught[0]).toMatchObject({ name: 'IsolatedResourceCrashedError', method: 'crash', exitCode: 3 });
  const { state, error } = await stopped;
  expect(state).toBe('failed');
  expect(error).toMatchObject({ name: 'IsolatedResourceCrashedError', code: 'MINIONS_ISOLATED_RESOURCE_CRASHED', resource: 'Fragile', gaveUp: true, exitCode: 3 });
  expect(error.message).toMatch(/Isolated resource Fragile \(5a1c0000-0000-4000-8000-000000000005\) in a worker crashed too often .*not restarted again/);

  const { states, resources } = await driver.ask({ states: true }, 'states');
  expect(states).toEqual([{ id: ids.bystander, state: 'running' }]);
  expect(resources).not.toContain('Fragile');
});
