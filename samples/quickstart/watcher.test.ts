import 'reflect-metadata';
import { Gru, InMemoryLogger, InMemoryMetrics, InMemoryStateStore } from 'minions';
import { TickFeed, Watcher } from './watcher';

describe('the README example', () => {
  it('runs: every tick is priced, passes the threshold, and raises an alert', async () => {
    const metrics = new InMemoryMetrics();
    const store = new InMemoryStateStore();
    let ended = 0;
    let fifty!: () => void;
    const fiftyEnded = new Promise<void>((resolve) => { fifty = resolve; });
    const gru = await Gru.create({
      stateStore: store, logger: new InMemoryLogger(), metrics, maxInFlight: 10, bufferSize: 10, stopGraceMs: 100,
      hooks: { workflowEnded: () => { if (++ended === 50) fifty(); } },
    });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: TickFeed, minion: Watcher, config: { threshold: 40 } });
      await fiftyEnded;
      expect(metrics.value('minion_workflow_succeeded_total', { orchestration_id: orchestrationId })).toBeGreaterThanOrEqual(50);
      await gru.stopOrchestration(orchestrationId);
      expect(metrics.get('resource_serves_total', { resource_method: 'raise' })).toBeGreaterThanOrEqual(50);
      expect(metrics.get('minion_workflow_aborted_total', { orchestration_id: orchestrationId })).toBe(0);
      expect(metrics.violations).toEqual([]);
    } finally {
      await gru.shutdown();
    }
  });
});
