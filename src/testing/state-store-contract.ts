import type * as JestGlobals from '@jest/globals';
import { orchestrationSummaries } from '../core/workflow/saved-elsewhere';
import type { StateStore, StoredContext } from '../index';

/**
 * The behaviours every {@link StateStore} shares, as a jest
 * suite (it needs jest, or `@jest/globals`, where it runs). Call it at the top level of a test file:
 *
 * ```ts
 * runStateStoreContract('InMemoryStateStore', () => new InMemoryStateStore());
 * ```
 *
 * `makeStore` returns a fresh, empty, not yet started store; the suite calls `startup()` before
 * each test and `shutdown()` after it.
 */
export function runStateStoreContract(name: string, makeStore: () => StateStore | Promise<StateStore>): void {
  // Loaded here, not at import: `minions/testing` stays usable without jest installed.
  const { describe, it, expect, beforeEach, afterEach } = require('@jest/globals') as typeof JestGlobals;
  describe(`${name} (StateStore contract)`, () => {
    let store: StateStore;

    beforeEach(async () => {
      store = await makeStore();
      await store.startup?.();
    });

    afterEach(async () => {
      await store.shutdown?.();
    });

    const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
    const plain = (rows: StoredContext[]) =>
      rows
        .map((row) => ({ workflowId: row.workflowId, orchestrationId: row.orchestrationId, context: [...row.context] }))
        .sort((a, b) => a.workflowId.localeCompare(b.workflowId));

    it('reads back what was saved, byte for byte, as Uint8Array', async () => {
      await store.saveContext('wf-1', 'orch-a', bytes(1, 2, 3));
      const rows = await store.getAllContexts();
      expect(plain(rows)).toEqual([{ workflowId: 'wf-1', orchestrationId: 'orch-a', context: [1, 2, 3] }]);
      expect(rows[0]!.context).toBeInstanceOf(Uint8Array);
    });

    it('keeps an empty blob and arbitrary binary content', async () => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      await store.saveContext('empty', 'o', new Uint8Array(0));
      await store.saveContext('binary', 'o', all);
      const rows = plain(await store.getContextsForOrchestration('o'));
      expect(rows.map((r) => r.context.length)).toEqual([256, 0]);
      expect(rows[0]!.context).toEqual([...all]);
    });

    it('upserts: a second save of one id replaces blob and orchestration', async () => {
      await store.saveContext('wf-1', 'orch-a', bytes(1));
      await store.saveContext('wf-1', 'orch-b', bytes(2));
      expect(plain(await store.getAllContexts())).toEqual([{ workflowId: 'wf-1', orchestrationId: 'orch-b', context: [2] }]);
      expect(await store.getContextsForOrchestration('orch-a')).toEqual([]);
    });

    it('filters reads by orchestration', async () => {
      await Promise.all([
        store.saveContext('a1', 'orch-a', bytes(1)),
        store.saveContext('a2', 'orch-a', bytes(2)),
        store.saveContext('b1', 'orch-b', bytes(3)),
      ]);
      expect(plain(await store.getContextsForOrchestration('orch-a')).map((r) => r.workflowId)).toEqual(['a1', 'a2']);
      expect(plain(await store.getContextsForOrchestration('orch-b')).map((r) => r.workflowId)).toEqual(['b1']);
      expect(await store.getContextsForOrchestration('nobody')).toEqual([]);
      expect(await store.getAllContexts()).toHaveLength(3);
    });

    it('deletes, and deleting a missing id (or twice) is a no-op', async () => {
      await store.saveContext('wf-1', 'o', bytes(1));
      await store.saveContext('wf-2', 'o', bytes(2));
      await store.deleteContext('wf-1');
      await store.deleteContext('wf-1');
      await store.deleteContext('never-saved');
      expect(plain(await store.getAllContexts()).map((r) => r.workflowId)).toEqual(['wf-2']);
    });

    it('is not affected when the caller mutates its buffer after saving or a returned row', async () => {
      const blob = bytes(7, 7, 7);
      const saved = store.saveContext('wf-1', 'o', blob);
      blob.fill(0);
      await saved;
      const [row] = await store.getAllContexts();
      row!.context.fill(9);
      expect(plain(await store.getAllContexts())[0]!.context).toEqual([7, 7, 7]);
    });

    it('resolves every one of many saves issued in the same turn, and keeps them all', async () => {
      const calls = Array.from({ length: 300 }, (_, i) => store.saveContext(`wf-${i}`, `orch-${i % 3}`, bytes(i % 256)));
      await expect(Promise.all(calls)).resolves.toHaveLength(300);
      expect(await store.getAllContexts()).toHaveLength(300);
      expect(await store.getContextsForOrchestration('orch-1')).toHaveLength(100);
    });

    it('applies writes of one turn in call order: save then delete removes the row', async () => {
      await Promise.all([store.saveContext('wf-1', 'o', bytes(1)), store.deleteContext('wf-1')]);
      expect(await store.getAllContexts()).toEqual([]);
    });

    it('applies writes of one turn in call order: delete then save keeps the row', async () => {
      await store.saveContext('wf-1', 'o', bytes(1));
      await Promise.all([store.deleteContext('wf-1'), store.saveContext('wf-1', 'o', bytes(2))]);
      expect(plain(await store.getAllContexts())).toEqual([{ workflowId: 'wf-1', orchestrationId: 'o', context: [2] }]);
    });

    it('keeps the last of several saves of one id in one turn', async () => {
      await Promise.all([1, 2, 3, 4].map((v) => store.saveContext('wf-1', 'o', bytes(v))));
      expect(plain(await store.getAllContexts())[0]!.context).toEqual([4]);
    });

    it('lets reads see every write issued before them, even not yet awaited', async () => {
      const save = store.saveContext('wf-1', 'o', bytes(1));
      const del = store.deleteContext('gone');
      const saveTwo = store.saveContext('wf-2', 'o', bytes(2));
      const rows = await store.getContextsForOrchestration('o');
      expect(plain(rows).map((r) => r.workflowId)).toEqual(['wf-1', 'wf-2']);
      await Promise.all([save, del, saveTwo]);
    });

    it('sees, after a resolved delete, no trace of the row', async () => {
      await store.saveContext('wf-1', 'o', bytes(1));
      await store.deleteContext('wf-1');
      expect(await store.getContextsForOrchestration('o')).toEqual([]);
      expect(await store.getAllContexts()).toEqual([]);
    });

    // summarizeOrchestrations is optional: for a store without it, the same summaries come from getAllContexts().
    const summaries = async (except?: string) =>
      (await orchestrationSummaries(store, except))
        .map((s) => ({ orchestrationId: s.orchestrationId, count: s.count, sample: [...s.sample] }))
        .sort((a, b) => a.orchestrationId.localeCompare(b.orchestrationId));

    it('summarizes each orchestration with saved rows: its count and one of its blobs', async () => {
      expect(await summaries()).toEqual([]);
      await store.saveContext('a1', 'orch-a', bytes(1));
      await store.saveContext('a2', 'orch-a', bytes(2));
      await store.saveContext('b1', 'orch-b', bytes(3));
      const all = await summaries();
      expect(all).toEqual([
        { orchestrationId: 'orch-a', count: 2, sample: expect.anything() },
        { orchestrationId: 'orch-b', count: 1, sample: [3] },
      ]);
      expect([[1], [2]]).toContainEqual(all[0]!.sample);
      const [one] = await orchestrationSummaries(store, 'orch-a');
      expect(one!.sample).toBeInstanceOf(Uint8Array);
    });

    it('leaves out the orchestration it is asked to, and sees writes issued before it', async () => {
      await store.saveContext('a1', 'orch-a', bytes(1));
      await store.saveContext('c1', 'orch-c', bytes(5));
      const pending = [store.saveContext('b1', 'orch-b', bytes(3)), store.deleteContext('c1')];
      expect(await summaries('orch-a')).toEqual([{ orchestrationId: 'orch-b', count: 1, sample: [3] }]);
      expect(await summaries('orch-b')).toEqual([{ orchestrationId: 'orch-a', count: 1, sample: [1] }]);
      await Promise.all(pending);
      await store.deleteContext('b1');
      expect(await summaries('orch-a')).toEqual([]);
    });

    it('rejects a save after shutdown', async () => {
      await store.saveContext('wf-1', 'o', bytes(1));
      await store.shutdown?.();
      await expect(store.saveContext('wf-2', 'o', bytes(2))).rejects.toThrow(/shutdown/);
      await expect(store.deleteContext('wf-1')).rejects.toThrow(/shutdown/);
    });
  });
}
