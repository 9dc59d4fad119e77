import 'reflect-metadata';
import { InvalidComponentError, Resource, resource } from 'minions';
import { assertIsolatedDependencies, isolatedArguments } from '../../../src/isolation/constructor-arguments';

@resource()
class Local extends Resource { async get() { return 1; } }

@resource({ isolation: 'worker' })
class Remote extends Resource { async get() { return 2; } ping() { return 'sync'; } }

class Target {}
const TOKEN = Symbol('settings');

describe('an isolated constructor takes only isolated resources and plain data', () => {
  it('an isolated resource parameter is passed as the async methods of its proxy', () => {
    expect(() => assertIsolatedDependencies(Target, 'worker', [{ index: 0, token: Remote, resource: Remote }], () => false)).not.toThrow();
    expect(isolatedArguments(Target, 'worker', [{ index: 0, token: Remote, resource: Remote }], () => undefined))
      .toEqual([{ kind: 'resource', index: 0, className: 'Remote', methods: ['get'] }]);
  });

  it('an in-process resource is refused, naming the class, the parameter and the fix', () => {
    expect(() => assertIsolatedDependencies(Target, 'process', [{ index: 1, token: Local, resource: Local }], () => false))
      .toThrow(new InvalidComponentError('Isolated resource Target (process) constructor parameter #1: Local is an in-process resource, ' +
        'and an in-process object cannot cross the boundary to a child process. Isolate Local too ' +
        "(@resource({ isolation: 'process' })), or pass plain config and build what Target needs inside it."));
  });

  it('an isolated resource replaced by an in-process double is refused', () => {
    expect(() => assertIsolatedDependencies(Target, 'worker', [{ index: 0, token: Remote, resource: Remote }], () => true))
      .toThrow(/Remote is bound by modules to an in-process object/);
  });

  it('plain config crosses; a class instance, a function or a nested one is refused with where it is', () => {
    const plain = { url: 'http://x', retries: 3, tags: ['a'], at: new Date(0), nested: { on: true, none: null } };
    expect(isolatedArguments(Target, 'worker', [{ index: 0, token: TOKEN }], () => plain)).toEqual([{ kind: 'value', value: plain }]);
    const refuse = (value: unknown) => () => isolatedArguments(Target, 'worker', [{ index: 0, token: TOKEN }], () => value);
    expect(refuse(new Map())).toThrow(/parameter #0 \(Symbol\(settings\)\): the value \(an instance of Map\) is an in-process object, and an in-process object cannot cross the boundary to a worker thread/);
    expect(refuse({ client: { send: () => undefined } })).toThrow(/field client\.send \(a function\) is an in-process object/);
    expect(refuse([1, new Local()])).toThrow(/field \[1\] \(an instance of Local\)/);
  });

  it('a token bound to nothing is refused naming the parameter', () => {
    expect(() => isolatedArguments(Target, 'worker', [{ index: 2, token: TOKEN }], () => { throw new Error('No bindings found'); }))
      .toThrow(/Isolated resource Target \(worker\) constructor parameter #2: nothing usable is bound to Symbol\(settings\) \(No bindings found\)/);
  });
});
