import { Gru, InMemoryLogger, PrometheusMetrics } from 'minions';
import { promtoolCheckMetrics, requirePromtool, scrape } from '../../support/promtool';

/** Cumulative count of the bucket `le` of a label-less histogram in a scrape body (0 when absent). */
function bucket(body: string, name: string, le: string): number {
  const match = body.match(new RegExp(`^${name}_bucket\\{le="${le.replace('+', '\\+')}"\\} (\\d+)$`, 'm'));
  return match ? Number(match[1]) : 0;
}

describe('SEMANTICS 10: event-loop delay is a histogram on /metrics', () => {
  beforeAll(() => requirePromtool());

  it('after the event loop is blocked by a busy loop, a scrape shows an observation above 0.25 s, and promtool accepts it', async () => {
    const metrics = new PrometheusMetrics({ port: 0 });
    const gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics, admin: false });
    try {
      const name = 'minions_event_loop_delay_seconds';
      // The monitor's 10 ms timer observes how late it ran, each time it runs: scrape until it has.
      while (bucket((await scrape(metrics.url!)).body, name, '+Inf') === 0) { /* next turn */ }
      const blockedFrom = Date.now();
      while (Date.now() - blockedFrom < 400) { /* blocks the event loop for 400 ms */ }
      // The monitor's timer, overdue since the stall, runs in the next timers phase before this
      // 0 ms timer (due later): once it has run, the stall is in the histogram.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const { body } = await scrape(metrics.url!);
      expect(bucket(body, name, '+Inf') - bucket(body, name, '0.25')).toBeGreaterThanOrEqual(1);
      expect(body).toMatch(/^# TYPE minions_event_loop_delay_seconds histogram$/m);
      expect(bucket(body, name, '1')).toBeGreaterThan(bucket(body, name, '0.25')); // 400 ms lands in (0.25, 1]
      // and the idle turns well below it (not at 1 ms: timers run late on a loaded machine)
      expect(bucket(body, name, '0.25')).toBeGreaterThan(0);
      expect(body).toMatch(/^nodejs_eventloop_lag_seconds /m); // prom-client's gauges stay, under their own names
      expect(await promtoolCheckMetrics(body)).toEqual({ code: 0, output: '' });
    } finally {
      await gru.shutdown();
    }
  });
});
