import { InMemoryLogger, InMemoryStateStore, type StoredContext } from 'minions';
import { encodeCheckpoint, stepsFingerprint, type CheckpointEnvelope } from '../../../../src/core/codec/checkpoint-codec';
import { SafeLogger } from '../../../../src/core/runtime/safe-logger';
import { decodeSaved } from '../../../../src/core/workflow/decode-saved';

class Where { city = ''; }
class Order { id = 0; where = new Where(); at = new Date(0); }
class Progress { charged = false; notes: string[] = []; }

const ORCH = 'orch-1';
const STEPS = ['charge', 'ship', 'notify'];
const FINGERPRINT = stepsFingerprint(STEPS);
const CURRENT = { event: Order, context: Progress, fingerprint: FINGERPRINT, stepCount: STEPS.length };
const LOG_FIELDS = { orchestration_id: ORCH, minion_id: 'minion-1', pipeline_id: 'pipe-1', minion_config_id: 'cfg-1' };

function envelope(workflowId: string, over: Partial<CheckpointEnvelope> = {}): CheckpointEnvelope {
  return {
    schemaVersion: 2, orchestrationId: ORCH, minionId: 'minion-1', workflowId,
    event: { id: 7, where: { city: 'Oslo' }, at: new Date(86_400_000) },
    context: { charged: true, notes: ['paid'] },
    nextStepIndex: 1, nextStepName: 'ship', stepsFingerprint: FINGERPRINT, startedAt: 1_000, ...over,
  };
}

/** Saves the blobs in a real store and reads them back, as resume does. */
async function stored(blobs: Array<[string, Uint8Array]>): Promise<StoredContext[]> {
  const store = new InMemoryStateStore();
  for (const [workflowId, blob] of blobs) await store.saveContext(workflowId, ORCH, blob);
  return store.getContextsForOrchestration(ORCH);
}

function decode(rows: StoredContext[]) {
  const logger = new InMemoryLogger();
  return { logger, ...decodeSaved(rows, CURRENT, new SafeLogger(logger), LOG_FIELDS) };
}

describe('decodeSaved: what resume finds in the store', () => {
  it('no saved rows: nothing to resume, nothing skipped, nothing mismatched', () => {
    expect(decode([])).toMatchObject({ states: [], skipped: 0, mismatched: [] });
  });

  it('a good row is rebuilt on new Event() / new Context() and resumes from its saved step, as a non-live workflow', async () => {
    const { states, skipped, mismatched, logger } = decode(await stored([['wf-1', encodeCheckpoint(envelope('wf-1'))]]));
    expect(skipped).toBe(0);
    expect(mismatched).toEqual([]);
    expect(states).toHaveLength(1);
    const [state] = states;
    expect(state).toMatchObject({ workflowId: 'wf-1', nextIndex: 1, startedAt: 1_000, live: false });
    expect(state.event).toBeInstanceOf(Order);
    expect((state.event as Order).where).toBeInstanceOf(Where); // a nested data class gets its class back
    expect((state.event as Order).at).toEqual(new Date(86_400_000)); // a Date comes back as a Date
    expect(state.context).toBeInstanceOf(Progress);
    expect(state.context).toEqual(Object.assign(new Progress(), { charged: true, notes: ['paid'] }));
    expect(logger.entries).toEqual([]);
  });

  it('the resumed event is deep-frozen, as live events are; the context stays writable for the steps', async () => {
    const { states } = decode(await stored([['wf-1', encodeCheckpoint(envelope('wf-1'))]]));
    const event = states[0].event as Order;
    expect(Object.isFrozen(event)).toBe(true);
    expect(Object.isFrozen(event.where)).toBe(true);
    expect(Object.isFrozen(states[0].context)).toBe(false);
  });

  it('a field added to a class since the save keeps its default', async () => {
    const { states } = decode(await stored([['wf-1', encodeCheckpoint(envelope('wf-1', { context: { charged: true } }))]]));
    expect(states[0].context).toEqual(Object.assign(new Progress(), { charged: true, notes: [] }));
  });

  it('a row that cannot be decoded at all is logged at error and skipped; the other rows still resume', async () => {
    const rows = await stored([
      ['wf-bad', new Uint8Array([0xc1, 0xff, 0x00])],
      ['wf-good', encodeCheckpoint(envelope('wf-good'))],
    ]);
    const { states, skipped, mismatched, logger } = decode(rows);
    expect(skipped).toBe(1);
    expect(mismatched).toEqual([]);
    expect(states.map((s) => s.workflowId)).toEqual(['wf-good']);
    const lines = logger.findAll('StateStore failed to decode stored workflow context');
    expect(lines).toHaveLength(1);
    expect(lines[0].level).toBe('error');
    expect(lines[0].fields).toMatchObject({ ...LOG_FIELDS, workflow_id: 'wf-bad', error_type: 'CheckpointDecodeError' });
  });

  it('a row whose blob names another workflow or orchestration (copied or damaged) is logged and skipped, never resumed under either id', async () => {
    const rows = await stored([
      ['wf-copy', encodeCheckpoint(envelope('wf-original'))],
      ['wf-moved', encodeCheckpoint(envelope('wf-moved', { orchestrationId: 'orch-other' }))],
      ['wf-good', encodeCheckpoint(envelope('wf-good'))],
    ]);
    const { states, skipped, mismatched, logger } = decode(rows);
    expect(states.map((s) => s.workflowId)).toEqual(['wf-good']);
    expect(skipped).toBe(2);
    expect(mismatched).toEqual([]);
    const lines = logger.findAll('Stored workflow context belongs to another workflow: not resumed');
    expect(lines.map((l) => [l.fields?.workflow_id, l.fields?.stored_workflow_id, l.fields?.stored_orchestration_id]))
      .toEqual([['wf-copy', 'wf-original', ORCH], ['wf-moved', 'wf-moved', 'orch-other']]);
  });

  it('a row saved with another step list (its fingerprint differs) is reported as mismatched, naming the step it was saved before', async () => {
    const other = encodeCheckpoint(envelope('wf-old', { stepsFingerprint: stepsFingerprint(['charge', 'pack', 'ship']), nextStepName: 'pack' }));
    const { states, skipped, mismatched, logger } = decode(await stored([['wf-old', other], ['wf-1', encodeCheckpoint(envelope('wf-1'))]]));
    expect(mismatched).toEqual([{ workflowId: 'wf-old', reason: 'step list changed (saved before step "pack")' }]);
    expect(states.map((s) => s.workflowId)).toEqual(['wf-1']);
    expect(skipped).toBe(0);
    expect(logger.entries).toEqual([]);
  });

  it('a saved step index past the end of the current step list is reported as mismatched', async () => {
    const past = encodeCheckpoint(envelope('wf-1', { nextStepIndex: 3, nextStepName: 'archive' }));
    const { states, mismatched } = decode(await stored([['wf-1', past]]));
    expect(states).toEqual([]);
    expect(mismatched).toEqual([{ workflowId: 'wf-1', reason: 'step list changed (saved before step "archive")' }]);
  });

  it('a row whose data no longer fits the current classes is reported as mismatched with the field path', async () => {
    const rows = await stored([
      ['wf-kind', encodeCheckpoint(envelope('wf-kind', { event: { id: 'seven' } }))],
      ['wf-gone', encodeCheckpoint(envelope('wf-gone', { context: { charged: true, removedField: 1 } }))],
      ['wf-nested', encodeCheckpoint(envelope('wf-nested', { event: { where: 'Oslo' } }))],
    ]);
    const { states, skipped, mismatched } = decode(rows);
    expect(states).toEqual([]);
    expect(skipped).toBe(0);
    const reasons = Object.fromEntries(mismatched.map((m) => [m.workflowId, m.reason]));
    expect(Object.keys(reasons).sort()).toEqual(['wf-gone', 'wf-kind', 'wf-nested']);
    expect(reasons['wf-kind']).toMatch(/event\.id.*expected a number/);
    expect(reasons['wf-gone']).toMatch(/context\.removedField.*not a field of Progress/);
    expect(reasons['wf-nested']).toMatch(/event\.where/);
  });
});
