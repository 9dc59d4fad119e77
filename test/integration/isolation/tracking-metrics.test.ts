/**
 * Rule: calls of an isolated resource are tracked as an in-process resource's: the same
 * `resource_*` series, labelled with the immediate caller (a minion in a workflow, another
 * resource for a call made from its host, `unknown` outside both) and the orchestration.
 */
import { IsolationDriver } from '../../support/isolation-driver';

jest.setTimeout(120_000);

const ID = {
  worker: '5a1c0000-0000-4000-8000-000000000001',
  child: '5a1c0000-0000-4000-8000-000000000002',
  doubler: '5a1c0000-0000-4000-8000-000000000006',
  local: '5a1c0000-0000-4000-8000-000000000009',
  minion: '5a1c0000-0000-4000-8000-0000000000b1',
};

let driver: IsolationDriver;
let orchestrationId: string;

beforeAll(async () => {
  driver = new IsolationDriver('calls');
  orchestrationId = (await driver.next('ready')).calculator;
});

afterAll(() => driver.close());

const metric = async (name: string, labels: Record<string, string>) => (await driver.ask({ metric: name, labels }, 'metric')).value;

it('counts serves, latency and errors of worker and child resources exactly as of an in-process one, with the caller', async () => {
  for (const [n, mode] of [[1, 'local'], [2, 'plain'], [3, 'plain-child'], [4, 'local'], [5, 'plain'], [6, 'plain-child']] as const) {
    expect((await driver.emit({ n, mode }).ended).outcome).toBe('succeeded');
  }
  const inWorkflow = { resource_method: 'add', resource_caller_kind: 'minion', resource_caller: ID.minion, orchestration_id: orchestrationId };
  for (const resource of [ID.local, ID.worker, ID.child]) {
    expect(await metric('resource_serves_total', { ...inWorkflow, resource })).toBe(2);
    expect(await metric('resource_latency_seconds', { ...inWorkflow, resource })).toMatchObject({ count: 2 });
    expect(await metric('resource_error_total', { resource })).toBe(0);
  }

  // A call the host of Doubler makes on WorkerCalc: the caller is the resource Doubler, in the workflow's orchestration.
  expect((await driver.emit({ n: 7, mode: 'doubler' }).ended).context.value).toBe(14);
  expect(await metric('resource_serves_total', { resource: ID.doubler, resource_method: 'double', ...pick(inWorkflow) })).toBe(1);
  expect(await metric('resource_serves_total', {
    resource: ID.worker, resource_method: 'add', resource_caller_kind: 'resource', resource_caller: ID.doubler, orchestration_id: orchestrationId,
  })).toBe(1);

  // Outside any workflow: caller `unknown`; an application error counted by its class name; @untracked not counted.
  await driver.ask({ call: 'WorkerCalc', method: 'rejects' }, 'result');
  await driver.ask({ call: 'WorkerCalc', method: 'quiet' }, 'result');
  expect(await metric('resource_error_total', {
    resource: ID.worker, resource_method: 'rejects', resource_caller_kind: 'unknown', resource_caller: '', orchestration_id: '', error_type: 'TypeError',
  })).toBe(1);
  expect(await metric('resource_serves_total', { resource: ID.worker, resource_method: 'quiet' })).toBe(0);
});

function pick(labels: Record<string, string>): Record<string, string> {
  const { resource_caller_kind, resource_caller, orchestration_id } = labels;
  return { resource_caller_kind, resource_caller, orchestration_id };
}
