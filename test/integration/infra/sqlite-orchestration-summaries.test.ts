import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStateStore } from '../../../src/infra/sqlite-state-store';

describe('SqliteStateStore.summarizeOrchestrations on a real file', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'minions-summaries-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the count and the most recently added row of each other orchestration, across a reopen', async () => {
    const path = join(dir, 'state.db');
    const first = new SqliteStateStore({ path });
    await first.startup();
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 2000; i++) writes.push(first.saveContext(`h${i}`, 'orch-m', Uint8Array.of(0)));
    writes.push(first.saveContext('a1', 'orch-a', Uint8Array.of(1)), first.saveContext('a2', 'orch-a', Uint8Array.of(2)));
    writes.push(first.saveContext('z1', 'orch-z', Uint8Array.of(9)), first.saveContext('a1', 'orch-a', Uint8Array.of(3)));
    await Promise.all(writes);
    await first.shutdown();

    const store = new SqliteStateStore({ path });
    await store.startup();
    try {
      const summaries = (await store.summarizeOrchestrations('orch-m')).map((s) => ({ ...s, sample: [...s.sample] }));
      expect(summaries.sort((p, q) => p.orchestrationId.localeCompare(q.orchestrationId))).toEqual([
        { orchestrationId: 'orch-a', count: 2, sample: [2] }, // a1 was added first; its later save is an update
        { orchestrationId: 'orch-z', count: 1, sample: [9] },
      ]);
      expect((await store.summarizeOrchestrations()).find((s) => s.orchestrationId === 'orch-m')?.count).toBe(2000);
      expect(await store.summarizeOrchestrations('orch-a')).toHaveLength(2);
    } finally {
      await store.shutdown();
    }
  });
});
