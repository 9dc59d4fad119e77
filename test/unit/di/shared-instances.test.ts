import { Resource } from '../../../src/core/components/resource';
import { InvalidComponentError } from '../../../src/core/errors';
import { componentIdentity } from '../../../src/core/metadata';
import { resource } from '../../../src/decorators';
import { SharedInstances, type SharedEntry } from '../../../src/di/shared-instances';

const SAME_ID = '5a7e0000-0000-4000-8000-000000000001';

@resource({ id: SAME_ID })
class Cache extends Resource {}

@resource({ id: SAME_ID })
class OtherCache extends Resource {}

@resource()
class Pool extends Resource {}

/** Two classes a factory builds in one file: one fallback address `<file>:Client`. */
function makeClient(): Function {
  @resource()
  class Client extends Resource {}
  return Client;
}

/** A promise and the functions that settle it, for a start the test finishes by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const make = (cls: Function) => (identity: string) => ({ cls, identity });

/** Settles whatever `acquire` does (a throw or a rejection) into a promise. */
const attempt = <T>(f: () => Promise<T>): Promise<T> => Promise.resolve().then(f);

describe('SharedInstances: sharing by identity (SEMANTICS 3)', () => {
  it('starts on the first acquire and shares that value with later ones, counting each owner once', async () => {
    const shared = new SharedInstances<string>('resource');
    const start = jest.fn(async (entry: SharedEntry<string>) => `running ${entry.identity}`);
    await expect(shared.acquire(Cache, make(Cache), start)).resolves.toBe(`running ${SAME_ID}`);
    await expect(shared.acquire(Cache, make(Cache), start)).resolves.toBe(`running ${SAME_ID}`);
    await expect(shared.acquire(Cache, make(Cache), start)).resolves.toBe(`running ${SAME_ID}`);
    expect(start).toHaveBeenCalledTimes(1);
    expect(start.mock.calls[0][0]).toMatchObject({ cls: Cache, identity: SAME_ID });
    expect(shared.values()).toHaveLength(1);
    expect(shared.values()[0]).toMatchObject({ cls: Cache, identity: SAME_ID, refs: 3 });
  });

  it('shares a start still in progress: later acquires wait for it instead of starting another', async () => {
    const shared = new SharedInstances<object>('pipeline');
    const running = deferred<object>();
    const start = jest.fn(() => running.promise);
    const first = shared.acquire(Pool, make(Pool), start);
    const second = shared.acquire(Pool, make(Pool), start);
    expect(start).toHaveBeenCalledTimes(1);
    expect(shared.values()[0].refs).toBe(2);
    const value = { pool: true };
    running.resolve(value);
    await expect(first).resolves.toBe(value);
    await expect(second).resolves.toBe(value);
  });

  it('hands the entry back on the last release only, forgets it, and starts afresh on a later acquire', async () => {
    const shared = new SharedInstances<number>('resource');
    let starts = 0;
    const start = jest.fn(async () => ++starts);
    await shared.acquire(Pool, make(Pool), start);
    await shared.acquire(Pool, make(Pool), start);
    expect(shared.release(Pool)).toBeUndefined();
    expect(shared.values()[0].refs).toBe(1);
    const last = shared.release(Pool);
    expect(last).toMatchObject({ cls: Pool, identity: componentIdentity(Pool), refs: 0 });
    expect(shared.values()).toEqual([]);
    expect(shared.release(Pool)).toBeUndefined();
    await expect(shared.acquire(Pool, make(Pool), start)).resolves.toBe(2);
    expect(start).toHaveBeenCalledTimes(2);
    expect(shared.values()[0].refs).toBe(1);
  });

  it('forgets a failed start: every waiter gets its error, and a later acquire starts anew', async () => {
    const shared = new SharedInstances<string>('resource');
    const failing = deferred<string>();
    const boom = new Error('cannot connect');
    const waiters = [
      shared.acquire(Cache, make(Cache), () => failing.promise),
      shared.acquire(Cache, make(Cache), () => failing.promise),
    ];
    failing.reject(boom);
    for (const w of waiters) await expect(w).rejects.toBe(boom);
    expect(shared.values()).toEqual([]);
    expect(shared.release(Cache)).toBeUndefined();
    const start = jest.fn(async () => 'second try');
    await expect(shared.acquire(Cache, make(Cache), start)).resolves.toBe('second try');
    expect(start).toHaveBeenCalledTimes(1);
    expect(shared.values()[0].refs).toBe(1);
  });

  it('keeps an entry started afresh when the failed start it replaced settles later', async () => {
    const shared = new SharedInstances<string>('resource');
    const failing = deferred<string>();
    const old = shared.acquire(Pool, make(Pool), () => failing.promise);
    expect(shared.release(Pool)).toBeDefined(); // its only owner left while it was starting
    const fresh = shared.acquire(Pool, make(Pool), async () => 'fresh');
    failing.reject(new Error('late failure'));
    await expect(old).rejects.toThrow('late failure');
    await expect(fresh).resolves.toBe('fresh');
    expect(shared.values()).toHaveLength(1);
  });
});

describe('SharedInstances: one class per identity (SEMANTICS 2)', () => {
  it('names the identity a class runs under: its explicit id, else its fallback address', () => {
    const shared = new SharedInstances<string>('resource');
    expect(shared.identityOf(Cache)).toBe(SAME_ID);
    expect(shared.identityOf(Pool)).toBe(componentIdentity(Pool));
    expect(shared.identityOf(Pool)).toMatch(/:Pool$/);
  });

  it('refuses another class under a running identity with InvalidComponentError naming both classes, and lets the owner class through', async () => {
    const shared = new SharedInstances<string>('resource');
    await shared.acquire(Cache, make(Cache), async () => 'cache');
    expect(() => shared.identityOf(OtherCache)).toThrow(InvalidComponentError);
    expect(() => shared.identityOf(OtherCache)).toThrow(
      `Resource identity ${SAME_ID} is already running from another class Cache; OtherCache claims it too. Give each class an explicit @resource({ id }).`);
    expect(shared.identityOf(Cache)).toBe(SAME_ID);
    const start = jest.fn(async () => 'other');
    await expect(attempt(() => shared.acquire(OtherCache, make(OtherCache), start))).rejects.toThrow(InvalidComponentError);
    expect(start).not.toHaveBeenCalled();
    expect(shared.release(OtherCache)).toBeUndefined(); // cannot drop the other class's reference
    expect(shared.values()[0].refs).toBe(1);
  });

  it('refuses two factory-made classes sharing one fallback address, naming the kind in the advice', async () => {
    const [first, second] = [makeClient(), makeClient()];
    expect(first).not.toBe(second);
    expect(componentIdentity(first)).toBe(componentIdentity(second));
    const shared = new SharedInstances<string>('pipeline');
    await shared.acquire(first, make(first), async () => 'first');
    expect(() => shared.identityOf(second)).toThrow(/^Pipeline identity .*:Client is already running .* explicit @pipeline\(\{ id \}\)\.$/);
  });

  it('lets another class take an identity once the class running under it was released', async () => {
    const shared = new SharedInstances<string>('resource');
    await shared.acquire(Cache, make(Cache), async () => 'cache');
    shared.release(Cache);
    expect(shared.identityOf(OtherCache)).toBe(SAME_ID);
    await expect(shared.acquire(OtherCache, make(OtherCache), async () => 'other')).resolves.toBe('other');
  });
});
