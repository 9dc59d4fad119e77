import { AbortWorkflow, ConfigError, MinionsError, OrchestrationStartError, ResourceCycleError } from 'minions';

describe('errors', () => {
  it('every error has a stable code, a retryable flag and its own name', () => {
    const e = new ConfigError('bad', { file: 'a.yaml', key: 'x.y', expected: 'a number' });
    expect(e).toBeInstanceOf(MinionsError);
    expect(e).toMatchObject({ name: 'ConfigError', code: 'MINIONS_CONFIG', retryable: false, file: 'a.yaml', key: 'x.y', expected: 'a number' });
    expect(new ResourceCycleError(['A', 'B', 'A']).message).toContain('A -> B -> A');
    const start = new OrchestrationStartError('failed', new Error('cause'), [new Error('cleanup')]);
    expect((start.cause as Error).message).toBe('cause');
    expect(start.cleanupErrors).toHaveLength(1);
  });

  it('MinionsError.is recognises errors of another loaded copy by their code', () => {
    const foreign = Object.assign(new Error('x'), { code: 'MINIONS_CONFIG' });
    expect(MinionsError.is(foreign)).toBe(true);
    expect(MinionsError.is(new Error('plain'))).toBe(false);
  });

  it('AbortWorkflow is control flow: a reason, no stack frames, and Error.stackTraceLimit is left as it was', () => {
    const limit = Error.stackTraceLimit;
    const e = new AbortWorkflow('below threshold');
    expect(e).toBeInstanceOf(MinionsError);
    expect(e).toMatchObject({ name: 'AbortWorkflow', message: 'below threshold', code: 'MINIONS_ABORT_WORKFLOW' });
    expect(e.stack).not.toMatch(/\n\s+at /);
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('x').stack).toMatch(/\n\s+at /);
  });
});
