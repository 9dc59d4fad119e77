/**
 * Reading saved unfinished workflows from a `SqliteStateStore` file without the code that wrote
 * them: rows of the `workflows` table, their checkpoint envelopes decoded.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { decodeCheckpoint, readStoreOwner } from '../../index';
import { CliError } from '../cli-error';

/** One saved workflow as `minions inspect` shows it. */
export interface SavedWorkflow {
  workflowId: string;
  orchestrationId: string;
  /** Identity of the minion that saved it; `null` when its checkpoint does not say (an older version wrote it) or is undecodable. */
  minionId: string | null;
  /** Name of the step the workflow runs next when its orchestration starts again; `null` when undecodable. */
  nextStep: string | null;
  /** 0-based index of that step; `null` when undecodable. */
  nextStepIndex: number | null;
  /** When its first step started (ISO-8601), `null` before that or when undecodable. */
  startedAt: string | null;
  /** Milliseconds from `startedAt` to `now`; `null` with it. */
  ageMs: number | null;
  /** Bytes of the stored checkpoint blob. */
  sizeBytes: number;
  /** Why the blob could not be decoded (the runtime skips such rows on resume). */
  error?: string;
  /**
   * Only for a failed workflow kept by `workflowFailurePolicy: 'keep'` (never resumed on its own):
   * the error's type and message, the step it failed in (its `nextStep`) and when (ISO-8601).
   */
  failure?: { type: string; message: string; step: string; at: string };
}

interface Row {
  workflow_id: string;
  orchestration_id: string;
  context: Buffer;
}

/**
 * Lists the workflows saved in a SQLite state file, opened read-only (nothing is written, no
 * migration is run), ordered by orchestration, then age (oldest first), then workflow id.
 * A running Gru holds its state file to itself: such a file is refused at once, naming the holder.
 *
 * @param dbPath the state file (e.g. `minions.db`).
 * @param options `orchestrationId`: only that orchestration's; `now`: epoch ms for ages (default `Date.now()`).
 * @throws CliError (exit 1) when the file does not exist, is held by a running process, is not a
 *   SQLite database, or has no `workflows` table (not a Minions state file).
 */
export function readSavedWorkflows(dbPath: string, options: { orchestrationId?: string; now?: number } = {}): SavedWorkflow[] {
  if (!fs.existsSync(dbPath)) throw new CliError(`${dbPath}: no such file`);
  let db: Database.Database;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: HELD_WAIT_MS });
  } catch (e) {
    throw new CliError(`${dbPath}: cannot open: ${(e as Error).message}`, undefined, { cause: e });
  }
  try {
    let rows: Row[];
    try {
      const table = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'workflows'").get();
      if (!table) throw new CliError(`${dbPath}: not a Minions state file (it has no workflows table)`);
      rows = (options.orchestrationId === undefined
        ? db.prepare('SELECT workflow_id, orchestration_id, context FROM workflows').all()
        : db.prepare('SELECT workflow_id, orchestration_id, context FROM workflows WHERE orchestration_id = ?').all(options.orchestrationId)) as Row[];
    } catch (e) {
      if (e instanceof CliError) throw e;
      if (/^SQLITE_(BUSY|LOCKED)/.test(String((e as { code?: unknown }).code))) throw heldError(dbPath, e);
      throw new CliError(`${dbPath}: cannot read: ${(e as Error).message}`, undefined, { cause: e });
    }
    const now = options.now ?? Date.now();
    return rows.map((row) => describe(row, now)).sort(byOrchestrationThenAge);
  } finally {
    db.close();
  }
}

/** How long to wait for a lock: a file a running Gru holds stays held, so not long. */
const HELD_WAIT_MS = 200;

function heldError(dbPath: string, cause: unknown): CliError {
  const owner = readStoreOwner(path.resolve(dbPath));
  const holder = owner === undefined ? 'another process' : `process ${owner.pid} on ${owner.host}`;
  return new CliError(`${dbPath} is held by ${holder}: a running Gru keeps its state file to itself. ` +
    'Stop that process, then inspect the file.', undefined, { cause });
}

function describe(row: Row, now: number): SavedWorkflow {
  const base = { workflowId: row.workflow_id, orchestrationId: row.orchestration_id, sizeBytes: row.context.length };
  try {
    const envelope = decodeCheckpoint(row.context);
    const { startedAt, failure } = envelope;
    return {
      ...base, minionId: envelope.minionId, nextStep: envelope.nextStepName, nextStepIndex: envelope.nextStepIndex,
      startedAt: startedAt === null ? null : new Date(startedAt).toISOString(), ageMs: startedAt === null ? null : Math.max(0, now - startedAt),
      ...(failure && { failure: { type: failure.type, message: failure.message, step: failure.step, at: new Date(failure.at).toISOString() } }),
    };
  } catch (e) {
    return { ...base, minionId: null, nextStep: null, nextStepIndex: null, startedAt: null, ageMs: null, error: (e as Error).message };
  }
}

function byOrchestrationThenAge(a: SavedWorkflow, b: SavedWorkflow): number {
  if (a.orchestrationId !== b.orchestrationId) return a.orchestrationId < b.orchestrationId ? -1 : 1;
  const ageA = a.ageMs ?? -1;
  const ageB = b.ageMs ?? -1;
  if (ageA !== ageB) return ageB - ageA;
  return a.workflowId < b.workflowId ? -1 : a.workflowId > b.workflowId ? 1 : 0;
}
