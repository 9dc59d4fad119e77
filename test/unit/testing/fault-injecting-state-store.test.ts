import { FaultInjectingStateStore, InMemoryStateStore } from 'minions/testing';

const blob = Uint8Array.from([1, 2, 3]);

describe('FaultInjectingStateStore', () => {
  it('fails exactly the next N saves and deletes, then passes through to the inner store', async () => {
    const inner = new InMemoryStateStore();
    const store = new FaultInjectingStateStore(inner).failNextSaves(2).failNextDeletes(1);
    await store.startup();
    await expect(store.saveContext('w', 'o', blob)).rejects.toThrow('injected save failure');
    await expect(store.saveContext('w', 'o', blob)).rejects.toThrow('injected save failure');
    await store.saveContext('w', 'o', blob);
    expect(await inner.getAllContexts()).toHaveLength(1);
    await expect(store.deleteContext('w')).rejects.toThrow('injected delete failure');
    await store.deleteContext('w');
    expect(await inner.getAllContexts()).toHaveLength(0);
    expect(store.counts).toEqual({ saves: 3, deletes: 2, reads: 0, failedSaves: 2, failedDeletes: 1, failedReads: 0 });
  });

  it('fails reads until reset, with the given error', async () => {
    const boom = new Error('disk gone');
    const store = new FaultInjectingStateStore().failReads(Infinity, boom);
    await store.startup();
    await expect(store.getAllContexts()).rejects.toBe(boom);
    await expect(store.getContextsForOrchestration('o')).rejects.toBe(boom);
    store.failReads(0);
    await expect(store.getAllContexts()).resolves.toEqual([]);
  });

  it('delays writes: a save resolves only after the delay', async () => {
    const store = new FaultInjectingStateStore().delayWrites(30);
    await store.startup();
    let done = false;
    const saving = store.saveContext('w', 'o', blob).then(() => { done = true; });
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    await saving;
    expect(done).toBe(true);
  });
});
