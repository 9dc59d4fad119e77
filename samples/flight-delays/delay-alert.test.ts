import 'reflect-metadata';
import { InMemoryStateStore, runMinion, type WorkflowReport } from 'minions/testing';
import { AirportDirectory, type Airport } from './airport-directory';
import { AlertLog } from './alert-log';
import { DelayAlert, type DelayContext } from './delay-alert';
import { Flight } from './flight';

/** Doubles for the two resources: the seams the minion writes through. */
class FakeAirports {
  private readonly known: Record<string, Airport> = {
    ORD: { iata: 'ORD', name: "Chicago O'Hare International", city: 'Chicago', state: 'IL' },
    LAX: { iata: 'LAX', name: 'Los Angeles International', city: 'Los Angeles', state: 'CA' },
  };
  lookup(code: string) { return this.known[code]; }
}
class FakeAlertLog {
  alerts: Array<[number, string | null, string | null]> = [];
  below: number[] = [];
  failed: number[] = [];
  async recordAlert(f: Flight, origin: string | null, destination: string | null) {
    if (f.origin === 'ERR') throw new Error('disk full');
    this.alerts.push([f.index, origin, destination]);
  }
  async recordBelow(index: number) { this.below.push(index); }
  async recordFailed(index: number) { this.failed.push(index); }
}

const flight = (index: number, delay: number, origin = 'ORD', destination = 'LAX') =>
  Object.assign(new Flight(), { index, date: '2001/01/01 00:47', delay, distance: 1745, origin, destination });

const byIndex = (workflows: WorkflowReport[]) => new Map(workflows.map((w) => [(w.event as Flight).index, w]));

describe('DelayAlert', () => {
  it('alerts at delay >= threshold, aborts below it, records unknown airports and failed writes', async () => {
    const log = new FakeAlertLog();
    const result = await runMinion({
      minion: DelayAlert,
      events: [flight(0, 90), flight(1, 10), flight(2, 60), flight(3, 75, 'ZZZ', 'ORD'), flight(4, 80, 'ERR')],
      resources: [[AirportDirectory, new FakeAirports()], [AlertLog, log]],
    });
    const w = byIndex(result.workflows);
    expect([0, 1, 2, 3, 4].map((i) => w.get(i)?.outcome)).toEqual(['succeeded', 'aborted', 'succeeded', 'succeeded', 'failed']);
    expect(w.get(0)?.context).toMatchObject({ originName: "Chicago O'Hare International", destinationName: 'Los Angeles International', unknownAirports: [] });
    expect(w.get(3)?.context).toMatchObject({ originName: '', unknownAirports: ['ZZZ'] });
    expect(w.get(4)?.context).toMatchObject({ unknownAirports: ['ERR'] });
    expect(log.alerts.sort()).toEqual([
      [0, "Chicago O'Hare International", 'Los Angeles International'],
      [2, "Chicago O'Hare International", 'Los Angeles International'],
      [3, null, "Chicago O'Hare International"],
    ]);
    expect(log.below).toEqual([1]);
    expect(log.failed).toEqual([4]);
  });

  it('takes the threshold from its config', async () => {
    const log = new FakeAlertLog();
    const result = await runMinion({
      minion: DelayAlert, events: [flight(0, 90), flight(1, 120)], config: { threshold: 100 },
      resources: [[AirportDirectory, new FakeAirports()], [AlertLog, log]],
    });
    expect(byIndex(result.workflows).get(0)?.outcome).toBe('aborted');
    expect(log.below).toEqual([0]);
    expect(log.alerts).toEqual([[1, "Chicago O'Hare International", 'Los Angeles International']]);
  });

  it('interrupted before `record`, resumes there with its checkpointed context', async () => {
    const store = new InMemoryStateStore();
    const log = new FakeAlertLog();
    const resources: Array<[Function, object]> = [[AirportDirectory, new FakeAirports()], [AlertLog, log]];
    const first = await runMinion({ minion: DelayAlert, events: [flight(7, 90)], resources, stateStore: store, interruptBefore: 'record' });
    expect(first.workflows.map((x) => x.outcome)).toEqual(['interrupted']);
    expect(log.alerts).toEqual([]);

    // The directory now knows nothing: the names can only come from the checkpointed context.
    const second = await runMinion({ minion: DelayAlert, resources: [[AirportDirectory, { lookup: () => undefined }], [AlertLog, log]], stateStore: store });
    expect(second.resumedWorkflows).toBe(1);
    expect(second.workflows.map((x) => [x.outcome, (x.context as DelayContext).originName])).toEqual([['succeeded', "Chicago O'Hare International"]]);
    expect(log.alerts).toEqual([[7, "Chicago O'Hare International", 'Los Angeles International']]);
    expect(await store.getAllContexts()).toEqual([]);
  });
});
