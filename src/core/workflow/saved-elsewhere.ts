import { decodeCheckpoint, type CheckpointEnvelope } from '../codec/checkpoint-codec';
import type { OrchestrationSummary, StateStore } from '../ports/state-store';

/** Saved workflows of a minion under one orchestration id other than the one starting. */
export interface SavedElsewhere {
  orchestrationId: string;
  /** How many saved workflows it holds that wait to resume (kept failed ones are not counted). */
  count: number;
}

/**
 * The store's {@link StateStore.summarizeOrchestrations}, or, for a store without it, the same
 * list built from `getAllContexts()` (the last row of each orchestration as its sample).
 * @param exceptOrchestrationId left out of the result.
 * @throws the store's read error.
 */
export async function orchestrationSummaries(store: StateStore, exceptOrchestrationId?: string): Promise<OrchestrationSummary[]> {
  if (typeof store.summarizeOrchestrations === 'function') return store.summarizeOrchestrations(exceptOrchestrationId);
  const byId = new Map<string, OrchestrationSummary>();
  for (const row of await store.getAllContexts()) {
    if (row.orchestrationId === exceptOrchestrationId) continue;
    const summary = byId.get(row.orchestrationId);
    if (summary) {
      summary.count++;
      summary.sample = row.context;
    } else {
      byId.set(row.orchestrationId, { orchestrationId: row.orchestrationId, count: 1, sample: row.context });
    }
  }
  return [...byId.values()];
}

/**
 * Finds saved workflows that the starting orchestration will not resume although its minion
 * saved them: those under other orchestration ids of the same minion (the minion ran with another
 * pipeline or config), read from one checkpoint envelope of each other orchestration. Rows whose
 * sample names no minion (version-1 checkpoints, undecodable rows) cannot be attributed and are
 * left out, as are orchestrations that `isActive` says run (or are starting) in this process.
 * Failed workflows kept by `workflowFailurePolicy: 'keep'` wait for a person, not for a start:
 * they are not counted, and an orchestration holding only those is left out.
 *
 * Costs one store call; with {@link StateStore.summarizeOrchestrations}, next to nothing when no
 * other orchestration has rows. An other orchestration of this minion holding several rows costs
 * one more read, of its rows, to leave its kept failed ones out.
 *
 * @throws the store's read error.
 */
export async function findSavedElsewhere(
  store: StateStore,
  starting: { orchestrationId: string; minionId: string },
  isActive: (orchestrationId: string) => boolean,
): Promise<SavedElsewhere[]> {
  const found: SavedElsewhere[] = [];
  for (const summary of await orchestrationSummaries(store, starting.orchestrationId)) {
    if (summary.orchestrationId === starting.orchestrationId || isActive(summary.orchestrationId)) continue;
    const sample = envelopeOf(summary.sample);
    if (sample?.minionId !== starting.minionId) continue;
    const count = summary.count === 1
      ? (sample.failure === undefined ? 1 : 0)
      : (await store.getContextsForOrchestration(summary.orchestrationId)).filter((row) => !isKeptFailed(row.context)).length;
    if (count > 0) found.push({ orchestrationId: summary.orchestrationId, count });
  }
  return found;
}

function envelopeOf(blob: Uint8Array): CheckpointEnvelope | undefined {
  try {
    return decodeCheckpoint(blob);
  } catch {
    return undefined; // undecodable: the resume of its own orchestration reports it
  }
}

/** An undecodable row counts as waiting, as the summary counted it. */
function isKeptFailed(blob: Uint8Array): boolean {
  return envelopeOf(blob)?.failure !== undefined;
}
