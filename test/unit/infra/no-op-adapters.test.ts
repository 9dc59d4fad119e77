import { NoOpLogger } from '../../../src/infra/no-op-logger';
import { NoOpMetrics } from '../../../src/infra/no-op-metrics';
import { NoOpStateStore } from '../../../src/infra/no-op-state-store';

describe('NoOp adapters', () => {
  it('NoOpStateStore accepts writes and keeps nothing', async () => {
    const store = new NoOpStateStore();
    await expect(store.saveContext('wf', 'o', Uint8Array.of(1))).resolves.toBeUndefined();
    await expect(store.deleteContext('wf')).resolves.toBeUndefined();
    expect(await store.getContextsForOrchestration('o')).toEqual([]);
    expect(await store.getAllContexts()).toEqual([]);
  });

  it('NoOpLogger and NoOpMetrics accept anything without throwing', () => {
    const log = new NoOpLogger();
    const metrics = new NoOpMetrics();
    expect(() => log.log('critical', 'x', { error: new Error('e') })).not.toThrow();
    expect(() => {
      metrics.inc('anything', { a: 'b' });
      metrics.set('anything', {}, 1);
      metrics.observe('anything', {}, 0.5);
    }).not.toThrow();
  });
});
