import { InMemoryStateStore, StateStore, type StoredContext } from 'minions';
import { Packr } from 'msgpackr';
import { encodeCheckpoint, type CheckpointEnvelope } from '../../../../src/core/codec/checkpoint-codec';
import { markFailed } from '../../../../src/core/workflow/failure-mark';
import { findSavedElsewhere, orchestrationSummaries } from '../../../../src/core/workflow/saved-elsewhere';

const MINION = 'minion-m';
const HERE = { orchestrationId: 'orch-here', minionId: MINION };

function blob(orchestrationId: string, minionId: string | null, workflowId = 'wf'): Uint8Array {
  const envelope: CheckpointEnvelope = {
    schemaVersion: 2, orchestrationId, minionId, workflowId, event: {}, context: {},
    nextStepIndex: 0, nextStepName: 'one', stepsFingerprint: '0123456789abcdef', startedAt: null,
  };
  return encodeCheckpoint(envelope);
}

/** A store of one's own with only the four required methods (no summarizeOrchestrations). */
class PlainStore extends StateStore {
  readonly inner = new InMemoryStateStore();
  allReads = 0;
  saveContext(w: string, o: string, b: Uint8Array) { return this.inner.saveContext(w, o, b); }
  deleteContext(w: string) { return this.inner.deleteContext(w); }
  getContextsForOrchestration(o: string) { return this.inner.getContextsForOrchestration(o); }
  getAllContexts(): Promise<StoredContext[]> { this.allReads++; return this.inner.getAllContexts(); }
}

async function fill(store: StateStore, rows: Array<[workflowId: string, orchestrationId: string, minionId: string | null]>): Promise<void> {
  for (const [w, o, m] of rows) await store.saveContext(w, o, blob(o, m, w));
}

describe('findSavedElsewhere: saved workflows of this minion that another orchestration id holds', () => {
  it.each([
    ['a store with summarizeOrchestrations', () => new InMemoryStateStore()],
    ['a store without it (getAllContexts)', () => new PlainStore()],
  ])('with %s: counts per other orchestration of the same minion; its own, other minions\' and unknown ones left out', async (_name, make) => {
    const store = make();
    await fill(store, [
      ['h1', 'orch-here', MINION], ['a1', 'orch-a', MINION], ['a2', 'orch-a', MINION], ['a3', 'orch-a', MINION],
      ['b1', 'orch-b', MINION], ['x1', 'orch-x', 'minion-other'], ['u1', 'orch-u', null],
    ]);
    await store.saveContext('junk', 'orch-junk', Uint8Array.of(0xc1));
    const found = await findSavedElsewhere(store, HERE, () => false);
    expect(found.sort((p, q) => p.orchestrationId.localeCompare(q.orchestrationId))).toEqual([
      { orchestrationId: 'orch-a', count: 3 }, { orchestrationId: 'orch-b', count: 1 },
    ]);
  });

  it('does not count failed workflows kept by workflowFailurePolicy keep (they wait for a person, not a start)', async () => {
    const store = new InMemoryStateStore();
    const failed = (o: string, w: string) => markFailed(blob(o, MINION, w), { type: 'Error', message: 'x', step: 'one', at: 1 });
    await store.saveContext('f1', 'orch-f', failed('orch-f', 'f1'));
    await store.saveContext('g1', 'orch-g', failed('orch-g', 'g1'));
    await store.saveContext('g2', 'orch-g', failed('orch-g', 'g2'));
    await fill(store, [['m1', 'orch-m', MINION]]);
    await store.saveContext('m2', 'orch-m', failed('orch-m', 'm2'));
    expect(await findSavedElsewhere(store, HERE, () => false)).toEqual([{ orchestrationId: 'orch-m', count: 1 }]);
  });

  it('leaves out orchestrations running (or starting) in this process', async () => {
    const store = new InMemoryStateStore();
    await fill(store, [['a1', 'orch-a', MINION], ['b1', 'orch-b', MINION]]);
    expect(await findSavedElsewhere(store, HERE, (id) => id === 'orch-a')).toEqual([{ orchestrationId: 'orch-b', count: 1 }]);
  });

  it('finds nothing in an empty store, or one holding only this orchestration\'s rows', async () => {
    const store = new InMemoryStateStore();
    expect(await findSavedElsewhere(store, HERE, () => false)).toEqual([]);
    await fill(store, [['h1', 'orch-here', MINION]]);
    expect(await findSavedElsewhere(store, HERE, () => false)).toEqual([]);
  });

  it('cannot attribute version-1 checkpoints (no minion id) and leaves them out', async () => {
    const store = new InMemoryStateStore();
    const packr = new Packr({ useRecords: false });
    const v1: Record<string, unknown> = { ...(packr.unpack(blob('orch-old', MINION)) as Record<string, unknown>), schemaVersion: 1 };
    delete v1.minionId;
    await store.saveContext('old', 'orch-old', packr.pack(v1));
    expect(await findSavedElsewhere(store, HERE, () => false)).toEqual([]);
  });
});

describe('orchestrationSummaries: the store\'s own summaries, or the same from getAllContexts()', () => {
  it('asks a store that has summarizeOrchestrations, and reads everything only from one that has not', async () => {
    const plain = new PlainStore();
    await fill(plain, [['a1', 'orch-a', MINION], ['h1', 'orch-here', MINION]]);
    const viaAll = await orchestrationSummaries(plain, 'orch-here');
    expect(plain.allReads).toBe(1);
    expect(viaAll.map(({ orchestrationId, count }) => ({ orchestrationId, count }))).toEqual([{ orchestrationId: 'orch-a', count: 1 }]);

    const memory = new InMemoryStateStore();
    await fill(memory, [['a1', 'orch-a', MINION]]);
    const spy = jest.spyOn(memory, 'getAllContexts');
    expect((await orchestrationSummaries(memory)).map((s) => s.count)).toEqual([1]);
    expect(spy).not.toHaveBeenCalled();
  });
});
