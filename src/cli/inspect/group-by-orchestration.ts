import type { SavedWorkflow } from './saved-workflows';

/** The saved workflows of one orchestration, as `minions inspect` sums them up. */
export interface SavedOrchestration {
  orchestrationId: string;
  /** The minion that saved them (from their checkpoints); `null` when none of them says. */
  minionId: string | null;
  /** Saved workflows, undecodable ones included. */
  workflows: number;
  /** Of those, how many could not be decoded. */
  undecodable: number;
  /** Of those, how many failed and were kept (`workflowFailurePolicy: 'keep'`): they wait for a retry or a delete, not a start. */
  failed: number;
  /** How many wait before each step, in step order (failed ones not included). */
  nextSteps: Array<{ step: string; index: number; workflows: number }>;
  /** Start of the oldest one's first step (ISO-8601); `null` when none has started. */
  oldestStartedAt: string | null;
  /** Its age, milliseconds; `null` with it. */
  oldestAgeMs: number | null;
}

/**
 * Sums saved workflows up per orchestration, in the order the orchestrations first appear.
 * @param workflows as `readSavedWorkflows` returns them.
 */
export function groupByOrchestration(workflows: readonly SavedWorkflow[]): SavedOrchestration[] {
  const groups = new Map<string, SavedOrchestration>();
  for (const w of workflows) {
    let g = groups.get(w.orchestrationId);
    if (!g) {
      g = { orchestrationId: w.orchestrationId, minionId: null, workflows: 0, undecodable: 0, failed: 0, nextSteps: [], oldestStartedAt: null, oldestAgeMs: null };
      groups.set(w.orchestrationId, g);
    }
    g.workflows++;
    g.minionId ??= w.minionId;
    if (w.error !== undefined || w.nextStep === null || w.nextStepIndex === null) {
      g.undecodable++;
      continue;
    }
    if (w.failure) {
      g.failed++;
      continue;
    }
    const step = g.nextSteps.find((s) => s.index === w.nextStepIndex && s.step === w.nextStep);
    if (step) step.workflows++;
    else g.nextSteps.push({ step: w.nextStep, index: w.nextStepIndex, workflows: 1 });
    if (w.ageMs !== null && (g.oldestAgeMs === null || w.ageMs > g.oldestAgeMs)) {
      g.oldestAgeMs = w.ageMs;
      g.oldestStartedAt = w.startedAt;
    }
  }
  for (const g of groups.values()) g.nextSteps.sort((a, b) => a.index - b.index || (a.step < b.step ? -1 : a.step > b.step ? 1 : 0));
  return [...groups.values()];
}

/**
 * Minions whose saved workflows sit under more than one orchestration id: the minion ran with
 * another pipeline or config, and each orchestration resumes only its own workflows.
 */
export function minionsUnderSeveral(groups: readonly SavedOrchestration[]): Array<{ minionId: string; orchestrationIds: string[] }> {
  const byMinion = new Map<string, string[]>();
  for (const g of groups) {
    if (g.minionId === null || g.failed === g.workflows) continue; // kept failed ones wait for a person, not a start
    const ids = byMinion.get(g.minionId) ?? [];
    ids.push(g.orchestrationId);
    byMinion.set(g.minionId, ids);
  }
  return [...byMinion].filter(([, ids]) => ids.length > 1).map(([minionId, orchestrationIds]) => ({ minionId, orchestrationIds }));
}
