import 'reflect-metadata';
import { InvalidComponentError, Resource, resource } from 'minions';
import { getComponentMeta } from '../../../src/core/metadata';
import { resolveIsolationOptions } from '../../../src/isolation';
import { createProxy } from '../../../src/isolation/proxy';
import type { Supervisor } from '../../../src/isolation/supervisor';

@resource({ isolation: 'process' })
class Isolated extends Resource {
  async get(): Promise<number> { return 1; }
  sync(): number { return 2; }
}

describe('@resource({ isolation })', () => {
  it('records the kind and the module file; the object form keeps its limits; defaults fill the rest', () => {
    const meta = getComponentMeta(Isolated)!;
    expect(meta.isolation).toEqual({ kind: 'process' });
    expect(meta.moduleFile).toBe(__filename);
    expect(resolveIsolationOptions({ kind: 'worker', maxMemoryMiB: 64 })).toEqual({
      kind: 'worker', maxMemoryMiB: 64, maxCrashes: 5, crashWindowMs: 60_000, restartDelayMs: 100, maxRestartDelayMs: 10_000,
    });
  });

  it('an unknown kind or a limit that is not a positive number is refused at decoration', () => {
    expect(() => resource({ isolation: 'thread' as never })).toThrow(new InvalidComponentError(`@resource({ isolation }): expected 'worker' or 'process', got "thread".`));
    expect(() => resource({ isolation: { kind: 'worker', maxCrashes: 0 } })).toThrow(/maxCrashes .*expected a positive number, got 0/);
  });

  it('the proxy forwards async methods and refuses synchronous ones, naming class and method', async () => {
    const calls: unknown[] = [];
    const supervisor = { call: async (method: string, args: unknown[]) => { calls.push([method, args]); return 42; } } as unknown as Supervisor;
    const proxy = createProxy(Isolated, supervisor, 1000) as unknown as Isolated;
    expect(proxy.constructor.name).toBe('Isolated');
    await expect(proxy.get()).resolves.toBe(42);
    expect(calls).toEqual([['get', []]]);
    expect(() => proxy.sync()).toThrow('Isolated.sync() is synchronous, and Isolated is isolated: only its async methods can be called across the boundary. Declare it async.');
  });
});
