import 'reflect-metadata';
import {
  Gru, type BackoffOptions, type GruOptions, type OverflowPolicy, type PersistencePolicy, type PersistenceRetryOptions, type WorkflowHooks,
} from 'minions';

// Compile-time contract: every type `GruOptions` names is importable from 'minions', so users can
// type their option objects. ts-jest fails this file when an import above is missing or when an
// `@ts-expect-error` below stops being an error.

/** True only when A and B are the same type. */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const same = <A, B>(proof: Same<A, B>): Same<A, B> => proof;

const retry: PersistenceRetryOptions = {
  delayMs: 1000, multiplier: 2, maxDelayMs: 60_000, jitterRatio: 0.1, warnEveryMs: 30_000, errorAfterMs: null,
};
const policy: PersistencePolicy = 'idle-until-persisted';
const overflow: OverflowPolicy = 'error';
const hooks: WorkflowHooks = {};

const options: GruOptions = {
  stateStore: null, metrics: null, workflowPersistenceFailurePolicy: policy, persistenceRetry: retry, overflowPolicy: overflow, hooks,
};

// @ts-expect-error the retry fields are `delayMs` and `maxDelayMs`, not `delay` and `maxDelay`
const misspelt: GruOptions['persistenceRetry'] = { delay: 1000, maxDelay: 60_000 };

describe('public option types of GruOptions', () => {
  it('PersistenceRetryOptions, BackoffOptions, PersistencePolicy and OverflowPolicy are the types GruOptions uses', () => {
    expect(same<GruOptions['persistenceRetry'], Partial<PersistenceRetryOptions> | undefined>(true)).toBe(true);
    expect(same<GruOptions['producerRetry'], Partial<BackoffOptions> | undefined>(true)).toBe(true);
    expect(same<GruOptions['workflowPersistenceFailurePolicy'], PersistencePolicy | undefined>(true)).toBe(true);
    expect(same<GruOptions['overflowPolicy'], OverflowPolicy | undefined>(true)).toBe(true);
    expect(same<GruOptions['hooks'], WorkflowHooks | undefined>(true)).toBe(true);
    expect(misspelt).toBeDefined();
  });

  it('a persistenceRetry field out of range is refused by name, in milliseconds', async () => {
    await expect(Gru.create({ ...options, persistenceRetry: { delayMs: -1 } })).rejects.toThrow(/persistenceRetry\.delayMs/);
    await expect(Gru.create({ ...options, persistenceRetry: { maxDelayMs: Number.NaN } })).rejects.toThrow(/persistenceRetry\.maxDelayMs/);
  });
});
