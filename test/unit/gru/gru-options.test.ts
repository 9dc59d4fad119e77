import { Gru, InMemoryLogger, InvalidOptionError, MinionsError } from 'minions';
import { resolveRuntimeOptions } from '../../../src/gru/gru-options';

describe('GruOptions are checked before anything starts', () => {
  const base = { stateStore: null, metrics: null, logger: new InMemoryLogger() } as const;

  it('a bad Gru option is an InvalidOptionError naming the option and the value', async () => {
    const error = await Gru.create({ ...base, bufferSize: -1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ code: 'MINIONS_INVALID_OPTION', option: 'GruOptions.bufferSize', value: -1, retryable: false });
    expect((error as Error).message).toMatch(/GruOptions\.bufferSize must be a positive number, got -1/);
  });

  it('a misspelt policy is an InvalidOptionError listing the accepted values', async () => {
    const policy = await Gru.create({ ...base, workflowPersistenceFailurePolicy: 'keep-going' as never }).catch((e: unknown) => e);
    expect(MinionsError.is(policy, 'MINIONS_INVALID_OPTION')).toBe(true);
    expect((policy as Error).message).toMatch(/GruOptions\.workflowPersistenceFailurePolicy must be 'continue-on-failure' or 'idle-until-persisted', got "keep-going"/);
    const overflow = await Gru.create({ ...base, overflowPolicy: 'drop-newest' as never }).catch((e: unknown) => e);
    expect(overflow).toMatchObject({ option: 'GruOptions.overflowPolicy', value: 'drop-newest' });
  });

  it("workflowFailurePolicy: default 'delete'; 'keep' accepted; anything else names the option and the accepted values", async () => {
    expect(resolveRuntimeOptions({}).workflowFailurePolicy).toBe('delete');
    expect(resolveRuntimeOptions({ workflowFailurePolicy: 'keep' }).workflowFailurePolicy).toBe('keep');
    const error = await Gru.create({ ...base, workflowFailurePolicy: 'quarantine' as never }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MINIONS_INVALID_OPTION', option: 'GruOptions.workflowFailurePolicy', value: 'quarantine' });
    expect((error as Error).message).toMatch(/GruOptions\.workflowFailurePolicy must be 'delete' or 'keep', got "quarantine"/);
  });

  it('producerRetry: each field optional, defaults 1 s doubling to 60 s with jitter 0.1; a bad value names its field', async () => {
    expect(resolveRuntimeOptions({}).producerRetry).toEqual({ delayMs: 1000, multiplier: 2, maxDelayMs: 60_000, jitterRatio: 0.1 });
    expect(resolveRuntimeOptions({ producerRetry: { delayMs: 50, jitterRatio: 0 } }).producerRetry)
      .toEqual({ delayMs: 50, multiplier: 2, maxDelayMs: 60_000, jitterRatio: 0 });
    for (const [field, value] of [['delayMs', -1], ['multiplier', 0], ['maxDelayMs', Number.NaN], ['jitterRatio', -0.1]] as const) {
      const error = await Gru.create({ ...base, producerRetry: { [field]: value } }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'MINIONS_INVALID_OPTION', option: `GruOptions.producerRetry.${field}` });
    }
  });

  it('a refused option leaves no Gru behind', async () => {
    await Gru.create({ ...base, stopGraceMs: Number.NaN }).catch(() => undefined);
    const gru = await Gru.create(base);
    await gru.shutdown();
  });
});
