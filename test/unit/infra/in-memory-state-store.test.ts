import { InMemoryStateStore } from '../../../src/infra/in-memory-state-store';
import { runStateStoreContract } from '../../../src/testing/state-store-contract';

runStateStoreContract('InMemoryStateStore', () => new InMemoryStateStore());

describe('InMemoryStateStore', () => {
  it('works without startup()', async () => {
    const store = new InMemoryStateStore();
    await store.saveContext('wf', 'o', Uint8Array.of(1));
    expect(store.size).toBe(1);
  });

  it('keeps rows across shutdown and a new startup, like a file across restarts', async () => {
    const store = new InMemoryStateStore();
    await store.startup();
    await store.saveContext('wf', 'o', Uint8Array.of(1, 2));
    await store.shutdown();
    expect(await store.getAllContexts()).toHaveLength(1); // reads still work while closed
    await store.startup();
    await store.saveContext('wf-2', 'o', Uint8Array.of(3));
    expect((await store.getContextsForOrchestration('o')).map((r) => r.workflowId)).toEqual(['wf', 'wf-2']);
  });

  it('rejects with a MinionsError code after shutdown', async () => {
    const store = new InMemoryStateStore();
    await store.shutdown();
    await expect(store.saveContext('wf', 'o', Uint8Array.of(1))).rejects.toMatchObject({ code: 'MINIONS_STATE_STORE_CLOSED' });
  });

  it('refuses a blob that is not a Uint8Array', async () => {
    const store = new InMemoryStateStore();
    await expect(store.saveContext('wf', 'o', 'text' as unknown as Uint8Array)).rejects.toMatchObject({ name: 'InvalidArgumentError', code: 'MINIONS_INVALID_ARGUMENT' });
  });

  it('clear() empties it', async () => {
    const store = new InMemoryStateStore();
    await store.saveContext('wf', 'o', Uint8Array.of(1));
    store.clear();
    expect(await store.getAllContexts()).toEqual([]);
  });
});
