import { ORCHESTRATION_ID_LENGTH, orchestrationId } from '../../../src/core/identity/orchestration-id';

describe('SEMANTICS 2: orchestrationId matches the reference vectors (REFERENCE I-05, I-07)', () => {
  it.each([
    [
      'tests.assets.pipelines.emit_one.simple.default',
      'tests.assets.minions.two_steps.simple.default',
      '',
      '0vGgBu7vv1SSPfUt4pBumGG5RUPoTJjWKYVbzsaNOqQO',
    ],
    [
      '22222222-2222-4222-8222-222222222222',
      '11111111-1111-4111-8111-111111111111',
      '44444444-4444-4444-8444-444444444444',
      '0RrBDZtnoVWyKCTwzdDW7H2WPcmnfnBIDrNODYLItlU8',
    ],
    ['p', 'm', 'configs/é.toml', '0dDZ4USMME5e0HnBzIYdCEE9Mhf51WGTvyiv4K3pe0PT'],
  ])('pipeline %j, minion %j, config %j -> %s', (pipelineId, minionId, configId, expected) => {
    expect(orchestrationId({ pipelineId, minionId, configId })).toBe(expected);
  });
});

describe('SEMANTICS 2: orchestrationId is a 44-character, 0-padded base62 name of the triple', () => {
  it('always has 44 base62 characters starting with 0', () => {
    for (const configId of ['', 'a', '<inline:0123456789abcdef>', 'ü'.repeat(100)]) {
      const id = orchestrationId({ pipelineId: 'p', minionId: 'm', configId });
      expect(id).toHaveLength(ORCHESTRATION_ID_LENGTH);
      expect(id).toMatch(/^0[0-9A-Za-z]{43}$/);
    }
  });

  it('is deterministic and changes when any of the three identities changes', () => {
    const base = { pipelineId: 'p', minionId: 'm', configId: 'c' };
    const id = orchestrationId(base);
    expect(orchestrationId({ ...base })).toBe(id);
    expect(orchestrationId({ ...base, pipelineId: 'q' })).not.toBe(id);
    expect(orchestrationId({ ...base, minionId: 'n' })).not.toBe(id);
    expect(orchestrationId({ ...base, configId: 'd' })).not.toBe(id);
    // The fields are not interchangeable.
    expect(orchestrationId({ pipelineId: 'm', minionId: 'p', configId: 'c' })).not.toBe(id);
  });

  it('refuses identities that are not strings', () => {
    expect(() => orchestrationId({ pipelineId: 'p', minionId: 'm', configId: undefined as unknown as string })).toThrow(
      'configId must be a string',
    );
  });
});
