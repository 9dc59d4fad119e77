import { InMemoryLogger, InMemoryMetrics, InMemoryStateStore, SerializationError, type StateStore } from 'minions';
import { FaultInjectingStateStore } from 'minions/testing';
import { Checkpointer, type PersistencePoint } from '../../../../src/core/workflow/checkpointer';
import { SafeLogger } from '../../../../src/core/runtime/safe-logger';
import { SafeMetrics } from '../../../../src/core/runtime/safe-metrics';
import type { PersistencePolicy, PersistenceRetryOptions, RuntimeServices } from '../../../../src/core/runtime/runtime-services';

const ORCH = 'orch-1';
const BASE = { minion: 'minion-1', orchestration_id: ORCH };
const TYPES = { event_type: 'Ev', context_type: 'Ctx' };
const FIELDS = { orchestration_id: ORCH, minion_id: 'minion-1', pipeline_id: 'pipe-1', minion_config_id: 'cfg-1', workflow_id: 'wf-1' };
const BLOB = new Uint8Array([1, 2, 3]);
/** Whole-millisecond waits without jitter, so fake time can step through them exactly. */
const RETRY: PersistenceRetryOptions = { delayMs: 1000, multiplier: 2, maxDelayMs: 60_000, jitterRatio: 0, warnEveryMs: 30_000, errorAfterMs: 60_000 };

interface Setup {
  checkpointer: Checkpointer;
  logger: InMemoryLogger;
  metrics: InMemoryMetrics;
  stop: AbortController;
}

function setup(store: StateStore, policy: PersistencePolicy, retry: Partial<PersistenceRetryOptions> = {}, discardsWrites = false): Setup {
  const logger = new InMemoryLogger();
  const metrics = new InMemoryMetrics();
  const services: RuntimeServices = {
    store, storeName: store.constructor.name, discardsWrites,
    log: new SafeLogger(logger), metrics: new SafeMetrics(metrics),
    options: {
      policy, workflowFailurePolicy: 'delete', retry: { ...RETRY, ...retry }, drainTimeoutMs: 1000, stopGraceMs: 0, cancelTimeoutMs: 0, startupTimeoutMs: 1000, shutdownTimeoutMs: 1000, maxInFlight: 10, bufferSize: 10, overflowPolicy: 'drop-oldest',
      producerRetry: { delayMs: 1000, multiplier: 2, maxDelayMs: 60_000, jitterRatio: 0.1 },
    },
    hooks: {}, activeWorkflows: new Set(),
  };
  return { checkpointer: new Checkpointer(services, BASE, TYPES), logger, metrics, stop: new AbortController() };
}

/** Labels of the persistence counters for one point. */
function labels(point: PersistencePoint, policy: PersistencePolicy, store = 'FaultInjectingStateStore'): Record<string, string> {
  return {
    minion: 'minion-1', orchestration_id: ORCH, minion_workflow_persistence_point: point,
    minion_workflow_persistence_operation: point === 'workflow_resolve' ? 'delete' : 'save',
    minion_workflow_persistence_policy: policy, state_store: store,
  };
}

function save(s: Setup, point: PersistencePoint = 'before_step', workflowId = 'wf-1', encode: () => Uint8Array = () => BLOB): Promise<boolean> {
  return s.checkpointer.save(point, workflowId, ORCH, encode, { ...FIELDS, workflow_id: workflowId }, point === 'before_step' ? 'charge' : undefined, s.stop.signal);
}

/** Records when a promise settles, so fake time can be stepped while it is pending. */
function track<T>(p: Promise<T>): { readonly settled: boolean; readonly value: T | undefined } {
  const state = { settled: false, value: undefined as T | undefined };
  void p.then((v) => { state.settled = true; state.value = v; });
  return state;
}

const blocked = (m: InMemoryMetrics) => m.value('minion_workflow_persistence_blocked');

beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] }));
afterEach(() => jest.useRealTimers());

describe('Checkpointer: saves', () => {
  it('a save that succeeds stores the blob and counts one attempt, one success and one duration', async () => {
    const store = new FaultInjectingStateStore();
    const s = setup(store, 'continue-on-failure');
    await expect(save(s, 'workflow_start')).resolves.toBe(true);
    expect(await store.getContextsForOrchestration(ORCH)).toEqual([{ workflowId: 'wf-1', orchestrationId: ORCH, context: BLOB }]);
    const l = labels('workflow_start', 'continue-on-failure');
    expect(s.metrics.value('minion_workflow_persistence_attempts_total', l)).toBe(1);
    expect(s.metrics.value('minion_workflow_persistence_succeeded_total', l)).toBe(1);
    expect(s.metrics.histogram('minion_workflow_persistence_duration_seconds', l).count).toBe(1);
    expect(s.metrics.value('minion_workflow_persistence_failures_total')).toBe(0);
    expect(s.logger.entries).toEqual([]);
    expect(s.metrics.violations).toEqual([]);
  });

  it('a value that cannot be encoded is a non-retryable SerializationError: it rejects, is counted and logged, and the store is never called', async () => {
    const store = new FaultInjectingStateStore();
    const s = setup(store, 'idle-until-persisted');
    const cause = new TypeError('a function is not persistable');
    const error = await save(s, 'before_step', 'wf-1', () => { throw cause; }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SerializationError);
    expect((error as SerializationError).retryable).toBe(false);
    expect((error as SerializationError).message).toContain('a function is not persistable');
    expect((error as Error).cause).toBe(cause);
    expect(store.counts.saves).toBe(0);
    expect(jest.getTimerCount()).toBe(0); // no retry is scheduled
    expect(s.metrics.value('minion_workflow_persistence_failures_total', {
      minion_workflow_persistence_failure_stage: 'serialize', minion_workflow_persistence_retryable: 'false',
    })).toBe(1);
    expect(s.metrics.value('minion_workflow_persistence_attempts_total')).toBe(1);
    expect(s.metrics.value('minion_workflow_persistence_succeeded_total')).toBe(0);
    const line = s.logger.find('Workflow persistence failed with non-retryable error');
    expect(line?.level).toBe('error');
    expect(line?.fields).toMatchObject({
      ...FIELDS, ...TYPES, step: 'charge', error_type: 'TypeError', persistence_point: 'before_step',
      persistence_failure_stage: 'serialize', persistence_retryable: false, state_store: 'FaultInjectingStateStore',
    });
    expect(s.metrics.violations).toEqual([]);
  });

  it('a SerializationError thrown by the encoder is passed on as it is', async () => {
    const s = setup(new FaultInjectingStateStore(), 'continue-on-failure');
    const thrown = new SerializationError('context.when', 'not a Date');
    await expect(save(s, 'before_step', 'wf-1', () => { throw thrown; })).rejects.toBe(thrown);
  });

  it('a store that keeps nothing is not called, yet the blob is still encoded and the attempt counted as persisted', async () => {
    const store = new FaultInjectingStateStore();
    const s = setup(store, 'idle-until-persisted', {}, true);
    const encode = jest.fn(() => BLOB);
    await expect(save(s, 'workflow_start', 'wf-1', encode)).resolves.toBe(true);
    await expect(s.checkpointer.delete('wf-1', FIELDS, s.stop.signal)).resolves.toBe(true);
    expect(encode).toHaveBeenCalledTimes(1);
    expect(store.counts).toMatchObject({ saves: 0, deletes: 0 });
    expect(s.metrics.value('minion_workflow_persistence_succeeded_total', labels('workflow_start', 'idle-until-persisted'))).toBe(1);
    expect(s.metrics.value('minion_workflow_persistence_succeeded_total', labels('workflow_resolve', 'idle-until-persisted'))).toBe(1);
    // ...and an unencodable value fails exactly as it would with a store
    await expect(save(s, 'before_step', 'wf-1', () => { throw new Error('nope'); })).rejects.toBeInstanceOf(SerializationError);
    expect(s.metrics.violations).toEqual([]);
  });
});

describe('Checkpointer: continue-on-failure', () => {
  it('a failed save is logged at warn, counted as a retryable failure, and the workflow goes on at once without a retry', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(1);
    const s = setup(store, 'continue-on-failure');
    await expect(save(s)).resolves.toBe(true);
    expect(store.counts).toMatchObject({ saves: 1, failedSaves: 1 });
    expect(jest.getTimerCount()).toBe(0);
    const l = labels('before_step', 'continue-on-failure');
    expect(s.metrics.value('minion_workflow_persistence_failures_total', {
      ...l, minion_workflow_persistence_failure_stage: 'save', minion_workflow_persistence_retryable: 'true',
    })).toBe(1);
    expect(s.metrics.value('minion_workflow_persistence_succeeded_total', l)).toBe(0);
    expect(s.metrics.histogram('minion_workflow_persistence_duration_seconds', l).count).toBe(1);
    expect(blocked(s.metrics)).toBe(0);
    const line = s.logger.find('Workflow continuing after persistence failure');
    expect(line?.level).toBe('warn');
    expect(line?.fields).toMatchObject({
      ...FIELDS, ...TYPES, step: 'charge', error_message: 'injected save failure', persistence_point: 'before_step',
      persistence_failure_policy: 'continue-on-failure', persistence_retryable: true, persistence_retry_attempts: 1,
    });
    expect(s.metrics.violations).toEqual([]);
  });

  it('the next checkpoint tries the store again', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(1);
    const s = setup(store, 'continue-on-failure');
    await save(s, 'workflow_start');
    await save(s, 'before_step');
    expect(store.counts).toMatchObject({ saves: 2, failedSaves: 1 });
    expect(await store.getContextsForOrchestration(ORCH)).toHaveLength(1);
  });

  it('a store that throws instead of rejecting is handled the same way', async () => {
    class ThrowingStore extends InMemoryStateStore {
      override saveContext(): Promise<void> { throw new Error('thrown synchronously'); }
    }
    const s = setup(new ThrowingStore(), 'continue-on-failure');
    await expect(save(s)).resolves.toBe(true);
    expect(s.logger.find('Workflow continuing after persistence failure')?.fields.error_message).toBe('thrown synchronously');
  });
});

describe('Checkpointer: idle-until-persisted', () => {
  it('a failed save waits and retries with backoff (1 s, 2 s, 4 s) until it succeeds, then says so', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(3);
    const s = setup(store, 'idle-until-persisted');
    const encode = jest.fn(() => BLOB);
    const saving = track(save(s, 'before_step', 'wf-1', encode));
    await jest.advanceTimersByTimeAsync(0);
    expect(store.counts.saves).toBe(1);
    await jest.advanceTimersByTimeAsync(999);
    expect(store.counts.saves).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(store.counts.saves).toBe(2); // after 1 s
    await jest.advanceTimersByTimeAsync(1999);
    expect(store.counts.saves).toBe(2);
    await jest.advanceTimersByTimeAsync(1);
    expect(store.counts.saves).toBe(3); // after 2 s more
    await jest.advanceTimersByTimeAsync(3999);
    expect(saving.settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(store.counts.saves).toBe(4); // after 4 s more: succeeds
    expect(saving).toEqual({ settled: true, value: true });
    expect(encode).toHaveBeenCalledTimes(1); // the same blob is retried
    expect(await store.getContextsForOrchestration(ORCH)).toHaveLength(1);
    const l = labels('before_step', 'idle-until-persisted');
    expect(s.metrics.value('minion_workflow_persistence_attempts_total', l)).toBe(4);
    expect(s.metrics.value('minion_workflow_persistence_failures_total', l)).toBe(3);
    expect(s.metrics.value('minion_workflow_persistence_succeeded_total', l)).toBe(1);
    expect(s.metrics.histogram('minion_workflow_persistence_duration_seconds', l).count).toBe(4);
    expect(s.logger.find('Workflow persistence resumed')?.fields).toMatchObject({
      ...FIELDS, step: 'charge', persistence_point: 'before_step', persistence_retry_attempts: 4, persistence_retry_elapsed_seconds: 7,
    });
    expect(s.metrics.violations).toEqual([]);
  });

  it('the blocked gauge counts the workflows waiting at a checkpoint and falls back to 0 once they are saved', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(2);
    const s = setup(store, 'idle-until-persisted');
    expect(blocked(s.metrics)).toBe(0);
    const a = track(save(s, 'before_step', 'wf-a'));
    const b = track(save(s, 'before_step', 'wf-b'));
    await jest.advanceTimersByTimeAsync(0);
    expect(store.counts.failedSaves).toBe(2);
    expect(s.metrics.value('minion_workflow_persistence_blocked', {
      ...labels('before_step', 'idle-until-persisted'), minion_workflow_persistence_failure_stage: 'save',
    })).toBe(2);
    await jest.advanceTimersByTimeAsync(1000);
    expect([a.value, b.value]).toEqual([true, true]);
    expect(blocked(s.metrics)).toBe(0);
    expect(s.metrics.violations).toEqual([]);
  });

  it('while waiting it warns on the first failure and every warnEveryMs, and logs an error once errorAfterMs has passed', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(Infinity);
    const s = setup(store, 'idle-until-persisted', { delayMs: 1000, multiplier: 1, warnEveryMs: 3000, errorAfterMs: 5000 });
    void save(s);
    await jest.advanceTimersByTimeAsync(9000);
    const lines = s.logger.findAll('Workflow idled waiting for persistence')
      .map((e) => [e.level, e.fields.persistence_retry_elapsed_seconds, e.fields.persistence_retry_delay_seconds]);
    // failures every second; warn at 0 s and 3 s, error at 5 s (the escalation), then every 3 s at error
    expect(lines).toEqual([['warn', 0, 1], ['warn', 3, 1], ['error', 5, 1], ['error', 8, 1]]);
    expect(store.counts.saves).toBe(10);
    s.stop.abort();
    await jest.advanceTimersByTimeAsync(0);
  });

  it('with errorAfterMs null the wait never escalates to an error', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(Infinity);
    const s = setup(store, 'idle-until-persisted', { delayMs: 1000, multiplier: 1, warnEveryMs: 1000, errorAfterMs: null });
    void save(s);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(s.logger.atOrAbove('error')).toEqual([]);
    expect(s.logger.findAll('Workflow idled waiting for persistence').length).toBeGreaterThan(100);
    s.stop.abort();
    await jest.advanceTimersByTimeAsync(0);
  });

  it('the abandon signal ends the wait: the save resolves false (interrupted), nothing more is tried, the gauge returns to 0', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(Infinity);
    const s = setup(store, 'idle-until-persisted');
    const saving = track(save(s));
    await jest.advanceTimersByTimeAsync(1500);
    expect(store.counts.saves).toBe(2);
    expect(blocked(s.metrics)).toBe(1);
    s.stop.abort();
    await jest.advanceTimersByTimeAsync(0);
    expect(saving).toEqual({ settled: true, value: false });
    expect(blocked(s.metrics)).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(store.counts.saves).toBe(2);
    expect(s.logger.find('Workflow persistence resumed')).toBeUndefined();
  });
});

describe('Checkpointer: the terminal delete', () => {
  it('always waits until durable, even under continue-on-failure, labelled idle-until-persisted', async () => {
    const store = new FaultInjectingStateStore().failNextDeletes(2);
    const s = setup(store, 'continue-on-failure');
    await save(s, 'workflow_start');
    const deleting = track(s.checkpointer.delete('wf-1', FIELDS, s.stop.signal));
    await jest.advanceTimersByTimeAsync(2999);
    expect(deleting.settled).toBe(false);
    expect(await store.getContextsForOrchestration(ORCH)).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(deleting).toEqual({ settled: true, value: true });
    expect(await store.getContextsForOrchestration(ORCH)).toEqual([]);
    const l = labels('workflow_resolve', 'idle-until-persisted');
    expect(s.metrics.value('minion_workflow_persistence_attempts_total', l)).toBe(3);
    expect(s.metrics.value('minion_workflow_persistence_failures_total', {
      ...l, minion_workflow_persistence_failure_stage: 'delete', minion_workflow_persistence_retryable: 'true',
    })).toBe(2);
    expect(s.logger.find('Workflow idled waiting for checkpoint delete')?.fields).toMatchObject({
      ...FIELDS, persistence_point: 'workflow_resolve', persistence_operation: 'delete',
    });
    expect(s.logger.find('Workflow checkpoint delete resumed')?.fields).toMatchObject({ persistence_retry_attempts: 3 });
    expect(s.logger.find('Workflow continuing after persistence failure')).toBeUndefined();
    expect(s.metrics.violations).toEqual([]);
  });

  it('a delete that succeeds at once resolves true without a wait', async () => {
    const store = new FaultInjectingStateStore();
    const s = setup(store, 'idle-until-persisted');
    await save(s, 'workflow_start');
    await expect(s.checkpointer.delete('wf-1', FIELDS, s.stop.signal)).resolves.toBe(true);
    expect(store.counts.deletes).toBe(1);
    expect(s.logger.entries).toEqual([]);
  });

  it('the abandon signal ends a delete wait too: it resolves false and the checkpoint stays', async () => {
    const store = new FaultInjectingStateStore().failNextDeletes(Infinity);
    const s = setup(store, 'idle-until-persisted');
    await save(s, 'workflow_start');
    const deleting = track(s.checkpointer.delete('wf-1', FIELDS, s.stop.signal));
    await jest.advanceTimersByTimeAsync(0);
    s.stop.abort();
    await jest.advanceTimersByTimeAsync(0);
    expect(deleting).toEqual({ settled: true, value: false });
    expect(await store.getContextsForOrchestration(ORCH)).toHaveLength(1);
  });
});
