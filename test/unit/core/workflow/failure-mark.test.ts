import { Packr } from 'msgpackr';
import { CheckpointDecodeError, decodeCheckpoint, encodeCheckpoint, type CheckpointEnvelope } from '../../../../src/core/codec/checkpoint-codec';
import { clearFailure, markFailed } from '../../../../src/core/workflow/failure-mark';

const ENVELOPE: CheckpointEnvelope = {
  schemaVersion: 2, orchestrationId: 'o', minionId: 'm', workflowId: 'w', event: { n: 1 }, context: { at: new Date(5), note: 'é' },
  nextStepIndex: 1, nextStepName: 'call', stepsFingerprint: '0123456789abcdef', startedAt: 10,
};
const FAILURE = { type: 'TypeError', message: 'boom', step: 'call', at: 20 };
const packr = new Packr({ useRecords: false });

describe('checkpoint envelope: the optional failure mark of a kept failed workflow', () => {
  it('a marked envelope round-trips with its failure; an unmarked one has no failure key', () => {
    expect(decodeCheckpoint(encodeCheckpoint({ ...ENVELOPE, failure: FAILURE }))).toEqual({ ...ENVELOPE, failure: FAILURE });
    expect('failure' in decodeCheckpoint(encodeCheckpoint(ENVELOPE))).toBe(false);
  });

  it('markFailed keeps the pre-step checkpoint and adds the mark; clearFailure gives back a plain checkpoint', () => {
    const marked = markFailed(encodeCheckpoint(ENVELOPE), FAILURE);
    expect(decodeCheckpoint(marked)).toEqual({ ...ENVELOPE, failure: FAILURE });
    expect('failure' in decodeCheckpoint(clearFailure(marked))).toBe(false);
    expect(decodeCheckpoint(clearFailure(marked))).toEqual(ENVELOPE);
  });

  it('a version-1 envelope with failure, a malformed failure and other unknown keys are refused', () => {
    const raw = packr.unpack(encodeCheckpoint({ ...ENVELOPE, failure: FAILURE })) as Record<string, unknown>;
    const v1: Record<string, unknown> = { ...raw, schemaVersion: 1 };
    delete v1.minionId;
    expect(() => decodeCheckpoint(packr.pack(v1))).toThrow(/unknown key\(s\): failure/);
    expect(() => decodeCheckpoint(packr.pack({ ...raw, failure: { ...FAILURE, step: 3 } }))).toThrow(/failure\.step must be a string/);
    expect(() => decodeCheckpoint(packr.pack({ ...raw, extra: 1 }))).toThrow(CheckpointDecodeError);
    expect(() => decodeCheckpoint(packr.pack({ ...raw, extra: 1 }))).toThrow(/unknown key\(s\): extra$/);
  });
});
