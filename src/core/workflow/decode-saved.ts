import { decodeCheckpoint } from '../codec/checkpoint-codec';
import { rebuild } from '../codec/rebuild';
import { deepFreeze } from '../fanout/deep-freeze';
import type { StoredContext } from '../ports/state-store';
import { errorFields, type SafeLogger } from '../runtime/safe-logger';
import type { WorkflowState } from './outcome';

/** What resume found in the store for one orchestration. */
export interface DecodedSaved {
  states: WorkflowState[];
  /** Rows that could not be decoded at all, or whose blob names another workflow: logged, left in the store. */
  skipped: number;
  /** Rows whose data or step list no longer fits the current classes. */
  mismatched: Array<{ workflowId: string; reason: string }>;
  /** Failed workflows kept by `workflowFailurePolicy: 'keep'`: never resumed on their own, never a mismatch. */
  keptFailed: number;
}

/** What a saved workflow must match to resume: the event and context classes, the steps' fingerprint and count. */
export interface SavedShape {
  event: new () => object;
  context: new () => object;
  fingerprint: string;
  stepCount: number;
}

/** Decodes saved rows with the current event and context classes and step list; kept failed ones are counted, not decoded further. */
export function decodeSaved(
  rows: StoredContext[],
  current: SavedShape,
  log: SafeLogger,
  logFields: Record<string, unknown>,
): DecodedSaved {
  const out: DecodedSaved = { states: [], skipped: 0, mismatched: [], keptFailed: 0 };
  for (const row of rows) {
    let env;
    try {
      env = decodeCheckpoint(row.context);
    } catch (e) {
      out.skipped++;
      log.log('error', 'StateStore failed to decode stored workflow context', { ...logFields, workflow_id: row.workflowId, ...errorFields(e) });
      continue;
    }
    if (env.failure !== undefined) {
      out.keptFailed++; // waits for a person: Gru.retryWorkflow or deleteWorkflow
      continue;
    }
    if (env.workflowId !== row.workflowId || env.orchestrationId !== row.orchestrationId) {
      // A row whose blob names another workflow (copied or damaged): resuming it would delete the
      // other id's row at the end and replay this one on every start. Leave it for a person.
      out.skipped++;
      log.log('error', 'Stored workflow context belongs to another workflow: not resumed', {
        ...logFields, workflow_id: row.workflowId, stored_workflow_id: env.workflowId, stored_orchestration_id: env.orchestrationId,
        suggestion: 'The row was copied or damaged. Inspect the state file with minions inspect (with no process running) and delete the row.',
      });
      continue;
    }
    if (env.stepsFingerprint !== current.fingerprint || env.nextStepIndex >= current.stepCount) {
      out.mismatched.push({ workflowId: row.workflowId, reason: `step list changed (saved before step "${env.nextStepName}")` });
      continue;
    }
    try {
      out.states.push({
        workflowId: env.workflowId,
        event: deepFreeze(rebuild(current.event, env.event, 'event')),
        context: rebuild(current.context, env.context, 'context'),
        nextIndex: env.nextStepIndex,
        startedAt: env.startedAt,
        live: false,
      });
    } catch (e) {
      out.mismatched.push({ workflowId: row.workflowId, reason: (e as Error).message });
    }
  }
  return out;
}
