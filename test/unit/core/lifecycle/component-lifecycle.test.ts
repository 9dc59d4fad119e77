import { ComponentBase, componentRuntime } from '../../../../src/core/components/component-base';
import { MinionsError, ShutdownTimeoutError, StartupTimeoutError } from '../../../../src/core/errors';
import { ComponentLifecycle, type LifecycleHooks, type LifecycleOptions } from '../../../../src/core/lifecycle/component-lifecycle';
import { SafeLogger } from '../../../../src/core/runtime/safe-logger';
import { InMemoryLogger } from '../../../../src/infra';

/** A promise and the functions that settle it, for hooks the test finishes by hand. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/** Settles when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return signal.aborted ? Promise.resolve() : new Promise((r) => signal.addEventListener('abort', () => r(), { once: true }));
}

/** A component whose hooks each test gives; `spawn` is the real one of ComponentBase. */
class Probe extends ComponentBase implements LifecycleHooks {
  startup?(): Promise<void> | void;
  run?(signal: AbortSignal): Promise<void>;
  shutdown?(): Promise<void> | void;
}

const CANCEL_MS = 300;
const SHUTDOWN_MS = 400;
const STARTUP_MS = 500;

function setup(hooks: LifecycleHooks = {}, options: Partial<LifecycleOptions> = {}) {
  const logger = new InMemoryLogger();
  const component = Object.assign(new Probe(), hooks);
  const lifecycle = new ComponentLifecycle(component, 'Probe', {
    kind: 'resource', startupTimeoutMs: STARTUP_MS, cancelTimeoutMs: CANCEL_MS, shutdownTimeoutMs: SHUTDOWN_MS,
    log: new SafeLogger(logger), fields: { resource_id: 'probe-id' }, ...options,
  });
  return { logger, component, lifecycle, signal: componentRuntime(component).controller.signal };
}

describe('ComponentLifecycle: states', () => {
  it('goes created -> starting -> running -> stopping -> stopped, logging each step with the component fields', async () => {
    const startup = deferred();
    const shutdown = deferred();
    const { lifecycle, logger } = setup({ startup: () => startup.promise, shutdown: () => shutdown.promise });
    expect(lifecycle.state).toBe('created');
    const started = lifecycle.start();
    expect(lifecycle.state).toBe('starting');
    startup.resolve();
    await started;
    expect(lifecycle.state).toBe('running');
    const stopped = lifecycle.stop();
    expect(lifecycle.state).toBe('stopping');
    shutdown.resolve();
    await expect(stopped).resolves.toEqual([]);
    expect(lifecycle.state).toBe('stopped');
    expect(logger.entries.map((e) => [e.level, e.message, e.fields])).toEqual([
      ['debug', 'Resource starting', { resource_id: 'probe-id' }],
      ['debug', 'Resource started', { resource_id: 'probe-id' }],
      ['debug', 'Resource stopping', { resource_id: 'probe-id' }],
      ['debug', 'Resource stopped', { resource_id: 'probe-id' }],
    ]);
  });

  it('runs a component that has none of the hooks', async () => {
    const { lifecycle } = setup();
    await lifecycle.start();
    lifecycle.startRun();
    await expect(lifecycle.stop()).resolves.toEqual([]);
    expect(lifecycle.state).toBe('stopped');
  });

  it('refuses a second start, while the first is in progress and after it finished, without changing the state', async () => {
    const startup = deferred();
    const calls = jest.fn(() => startup.promise);
    const { lifecycle } = setup({ startup: calls });
    const first = lifecycle.start();
    await expect(lifecycle.start()).rejects.toMatchObject({ code: 'MINIONS_INTERNAL', message: expect.stringContaining('resource Probe cannot start from state starting: a component starts once') });
    expect(lifecycle.state).toBe('starting');
    startup.resolve();
    await first;
    await expect(lifecycle.start()).rejects.toThrow(MinionsError);
    expect(lifecycle.state).toBe('running');
    expect(calls).toHaveBeenCalledTimes(1);
  });

  it('keeps the first failure when the component is failed twice, and stays failed through its stop', async () => {
    const { lifecycle } = setup();
    await lifecycle.start();
    const first = new Error('first');
    lifecycle.fail(first);
    lifecycle.fail(new Error('second'));
    expect(lifecycle.state).toBe('failed');
    expect(lifecycle.failure).toBe(first);
    await lifecycle.stop();
    expect(lifecycle.state).toBe('failed');
  });
});

describe('ComponentLifecycle: startup', () => {
  afterEach(() => jest.useRealTimers());

  it('fails with StartupTimeoutError naming component, kind, stage and deadline when startup() outlives startupTimeoutMs, and aborts spawned work', async () => {
    jest.useFakeTimers();
    const taskStopped = deferred();
    const { lifecycle, component, signal } = setup({
      startup() {
        component.spawn(async (s) => { await aborted(s); taskStopped.resolve(); });
        return new Promise<void>(() => {}); // never settles
      },
    }, { kind: 'pipeline' });
    const outcome = lifecycle.start().catch((e: unknown) => e);
    await jest.advanceTimersByTimeAsync(STARTUP_MS - 1);
    expect(lifecycle.state).toBe('starting');
    expect(signal.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = await outcome;
    expect(error).toBeInstanceOf(StartupTimeoutError);
    expect(error).toMatchObject({ code: 'MINIONS_STARTUP_TIMEOUT', component: 'Probe', kind: 'pipeline', stage: 'startup', timeoutMs: STARTUP_MS });
    expect(lifecycle.state).toBe('failed');
    expect(lifecycle.failure).toBe(error);
    expect(signal.aborted).toBe(true);
    await taskStopped.promise; // the spawned task was told to stop
  });

  it('fails with the error of startup(), rejected or thrown synchronously, and aborts the component signal', async () => {
    for (const startup of [
      async () => { throw new TypeError('cannot connect'); },
      () => { throw new TypeError('cannot connect'); },
    ]) {
      const { lifecycle, signal } = setup({ startup });
      const error = await lifecycle.start().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toBe('cannot connect');
      expect(lifecycle.state).toBe('failed');
      expect(lifecycle.failure).toBe(error);
      expect(signal.aborted).toBe(true);
    }
  });

  it('never calls shutdown() when startup() did not succeed, nor when the component never started, and a failed component stays failed after its stop', async () => {
    const shutdown = jest.fn();
    const { lifecycle } = setup({ startup: async () => { throw new Error('no'); }, shutdown });
    await expect(lifecycle.start()).rejects.toThrow('no');
    await expect(lifecycle.stop()).resolves.toEqual([]);
    expect(lifecycle.state).toBe('failed');

    const never = setup({ shutdown });
    await expect(never.lifecycle.stop()).resolves.toEqual([]);
    expect(never.lifecycle.state).toBe('stopped');
    expect(shutdown).not.toHaveBeenCalled();
  });
});

describe('ComponentLifecycle: run() supervision', () => {
  it('fails the component and calls onRunFailed when run() returns before the stop', async () => {
    const reported = deferred<Error>();
    const { lifecycle } = setup({ run: async () => {} }, { onRunFailed: reported.resolve });
    await lifecycle.start();
    lifecycle.startRun();
    const error = await reported.promise;
    expect(error).toMatchObject({ code: 'MINIONS_RUN_RETURNED' });
    expect(error.message).toContain('Probe.run returned before the component was stopped');
    expect(lifecycle.state).toBe('failed');
    expect(lifecycle.failure).toBe(error);
    await lifecycle.stop();
    expect(lifecycle.state).toBe('failed');
  });

  it('fails the component and calls onRunFailed with the error when run() rejects before the stop', async () => {
    const reported = deferred<Error>();
    const boom = new RangeError('poller crashed');
    const { lifecycle } = setup({ run: async () => { throw boom; } }, { onRunFailed: reported.resolve });
    await lifecycle.start();
    lifecycle.startRun();
    await expect(reported.promise).resolves.toBe(boom);
    expect(lifecycle.state).toBe('failed');
    await expect(lifecycle.stop()).resolves.toEqual([]);
    expect(lifecycle.state).toBe('failed');
  });

  it.each([
    ['returning', async (signal: AbortSignal) => { await aborted(signal); }],
    ['rejecting', async (signal: AbortSignal) => { await aborted(signal); throw new Error('interrupted'); }],
  ])('treats run() %s after the stop signal as a normal stop', async (_how, run) => {
    const onRunFailed = jest.fn();
    const { lifecycle } = setup({ run }, { onRunFailed });
    await lifecycle.start();
    lifecycle.startRun();
    await expect(lifecycle.stop()).resolves.toEqual([]);
    expect(lifecycle.state).toBe('stopped');
    expect(onRunFailed).not.toHaveBeenCalled();
    expect(lifecycle.failure).toBeUndefined();
  });

  it('starts run() only once, and only after a successful start', async () => {
    const run = jest.fn((s: AbortSignal) => aborted(s));
    const { lifecycle, signal } = setup({ run });
    lifecycle.startRun();
    await lifecycle.start();
    lifecycle.startRun();
    lifecycle.startRun();
    await lifecycle.stop();
    expect(run).toHaveBeenCalledTimes(1);
    expect(run.mock.calls[0][0]).toBe(signal);
  });
});

describe('ComponentLifecycle: stop', () => {
  afterEach(() => jest.useRealTimers());

  it('runs the drain first, then aborts the signal, waits for spawned tasks and run(), then calls shutdown()', async () => {
    const order: string[] = [];
    const probe = setup({
      startup() { probe.component.spawn(async (s) => { await aborted(s); await Promise.resolve(); order.push('task ended'); }); },
      run: async (s) => { await aborted(s); await Promise.resolve(); order.push('run ended'); },
      shutdown: () => { order.push('shutdown'); },
    });
    const { lifecycle, signal } = probe;
    signal.addEventListener('abort', () => order.push('abort'));
    await lifecycle.start();
    lifecycle.startRun();
    const errors = await lifecycle.stop(async () => { order.push('drain'); return []; });
    expect(errors).toEqual([]);
    expect(order.slice(0, 2)).toEqual(['drain', 'abort']);
    expect(order.slice(2, 4).sort()).toEqual(['run ended', 'task ended']);
    expect(order[4]).toBe('shutdown');
  });

  it('returns the errors of the drain, whether it resolves with them or rejects', async () => {
    const reported = new Error('workflow abandoned');
    const a = setup();
    await a.lifecycle.start();
    await expect(a.lifecycle.stop(async () => [reported])).resolves.toEqual([reported]);
    const b = setup();
    await b.lifecycle.start();
    const thrown = new Error('drain broke');
    await expect(b.lifecycle.stop(async () => { throw thrown; })).resolves.toEqual([thrown]);
  });

  it('abandons a spawned task that ignores the signal after cancelTimeoutMs with MINIONS_TASKS_ABANDONED, then still calls shutdown()', async () => {
    jest.useFakeTimers();
    const shutdown = jest.fn();
    const probe = setup({ startup() { probe.component.spawn(() => new Promise<void>(() => {})); }, shutdown });
    await probe.lifecycle.start();
    let errors: Error[] | undefined;
    void probe.lifecycle.stop().then((e) => { errors = e; });
    await jest.advanceTimersByTimeAsync(CANCEL_MS - 1);
    expect(errors).toBeUndefined();
    expect(shutdown).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1);
    expect(errors).toHaveLength(1);
    expect(errors![0]).toMatchObject({ code: 'MINIONS_TASKS_ABANDONED' });
    expect(errors![0].message).toContain("Probe: 1 spawned task(s) ignored the stop signal");
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(probe.lifecycle.state).toBe('stopped');
  });

  it('reports a run() that ignores the signal as ShutdownTimeoutError at stage run after cancelTimeoutMs, then still calls shutdown()', async () => {
    jest.useFakeTimers();
    const shutdown = jest.fn();
    const onRunFailed = jest.fn();
    const { lifecycle } = setup({ run: () => new Promise<void>(() => {}), shutdown }, { kind: 'minion', onRunFailed });
    await lifecycle.start();
    lifecycle.startRun();
    let errors: Error[] | undefined;
    void lifecycle.stop().then((e) => { errors = e; });
    await jest.advanceTimersByTimeAsync(CANCEL_MS - 1);
    expect(errors).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(errors).toHaveLength(1);
    expect(errors![0]).toBeInstanceOf(ShutdownTimeoutError);
    expect(errors![0]).toMatchObject({ component: 'Probe', kind: 'minion', stage: 'run', timeoutMs: CANCEL_MS });
    expect(shutdown).toHaveBeenCalledTimes(1);
    expect(onRunFailed).not.toHaveBeenCalled();
  });

  it('gives spawned tasks and run() one cancelTimeoutMs together, not one each', async () => {
    jest.useFakeTimers();
    const probe = setup({ startup() { probe.component.spawn(() => new Promise<void>(() => {})); }, run: () => new Promise<void>(() => {}) });
    await probe.lifecycle.start();
    probe.lifecycle.startRun();
    let errors: Error[] | undefined;
    void probe.lifecycle.stop().then((e) => { errors = e; });
    await jest.advanceTimersByTimeAsync(CANCEL_MS);
    expect(errors?.map((e) => (e as MinionsError).code)).toEqual(['MINIONS_TASKS_ABANDONED', 'MINIONS_SHUTDOWN_TIMEOUT']);
  });

  it('returns ShutdownTimeoutError at stage shutdown, and logs it, when shutdown() outlives shutdownTimeoutMs', async () => {
    jest.useFakeTimers();
    const { lifecycle, logger } = setup({ shutdown: () => new Promise<void>(() => {}) });
    await lifecycle.start();
    let errors: Error[] | undefined;
    void lifecycle.stop().then((e) => { errors = e; });
    await jest.advanceTimersByTimeAsync(SHUTDOWN_MS - 1);
    expect(errors).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1);
    expect(errors).toHaveLength(1);
    expect(errors![0]).toBeInstanceOf(ShutdownTimeoutError);
    expect(errors![0]).toMatchObject({ component: 'Probe', kind: 'resource', stage: 'shutdown', timeoutMs: SHUTDOWN_MS });
    expect(logger.find('Resource shutdown failed', 'error')?.fields).toMatchObject({ resource_id: 'probe-id', stage: 'shutdown', error_type: 'ShutdownTimeoutError' });
    expect(lifecycle.state).toBe('stopped');
  });

  it.each([
    ['rejects', async () => { throw new Error('close failed'); }],
    ['throws synchronously', () => { throw new Error('close failed'); }],
  ])('returns, never throws, the error of a shutdown() that %s, and logs it', async (_how, shutdown) => {
    const { lifecycle, logger } = setup({ shutdown });
    await lifecycle.start();
    const errors = await lifecycle.stop();
    expect(errors.map((e) => e.message)).toEqual(['close failed']);
    expect(logger.find('Resource shutdown failed', 'error')?.fields).toMatchObject({
      resource_id: 'probe-id', stage: 'shutdown', error_type: 'Error', error_message: 'close failed',
    });
    expect(lifecycle.state).toBe('stopped');
  });

  it('shares one attempt between concurrent stops: one drain, one shutdown, the same errors', async () => {
    const shutdown = deferred();
    const shutdownCalls = jest.fn(() => shutdown.promise);
    const drain = jest.fn(async () => [new Error('from drain')]);
    const { lifecycle } = setup({ shutdown: shutdownCalls });
    await lifecycle.start();
    const first = lifecycle.stop(drain);
    const second = lifecycle.stop(drain);
    expect(second).toBe(first);
    shutdown.resolve();
    const errors = await first;
    expect(await second).toBe(errors);
    expect(await lifecycle.stop()).toBe(errors);
    expect(drain).toHaveBeenCalledTimes(1);
    expect(shutdownCalls).toHaveBeenCalledTimes(1);
  });

  it('logs a spawned task that fails, and neither fails the component nor returns the error from its stop', async () => {
    const { lifecycle, component, logger } = setup();
    await lifecycle.start();
    component.spawn(async () => { throw new TypeError('task broke'); });
    await expect(lifecycle.stop()).resolves.toEqual([]);
    expect(logger.find('Probe service task failed', 'error')?.fields).toMatchObject({ resource_id: 'probe-id', error_type: 'TypeError', error_message: 'task broke' });
    expect(lifecycle.state).toBe('stopped');
  });
});
