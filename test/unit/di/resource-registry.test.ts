import { Container } from 'inversify';
import { componentIdentity } from '../../../src/core/metadata';
import type { RuntimeServices } from '../../../src/core/runtime/runtime-services';
import { SafeLogger } from '../../../src/core/runtime/safe-logger';
import { SafeMetrics } from '../../../src/core/runtime/safe-metrics';
import { ResourceRegistry } from '../../../src/di/resource-registry';
import { resolveRuntimeOptions } from '../../../src/gru/gru-options';
import { InMemoryLogger, InMemoryMetrics, InMemoryStateStore } from '../../../src/infra';
import { A, B, C, D, NeedsTwins, P, Q, R, SHARED_ID, Twin1 } from './fixtures/resource-graph-classes';

function registry(container = new Container()): ResourceRegistry {
  const store = new InMemoryStateStore();
  const services: RuntimeServices = {
    store, storeName: 'InMemoryStateStore', discardsWrites: false,
    log: new SafeLogger(new InMemoryLogger()), metrics: new SafeMetrics(new InMemoryMetrics()),
    options: resolveRuntimeOptions({}), hooks: {}, activeWorkflows: new Set(),
  };
  return new ResourceRegistry(container, services, () => {});
}

const ids = (...classes: Function[]): Set<string> => new Set(classes.map(componentIdentity));

describe('ResourceRegistry.closureOf (SEMANTICS 3, 7)', () => {
  it('is the class itself for a resource without dependencies', () => {
    expect(registry().closureOf(D)).toEqual(ids(D));
  });

  it('holds every identity the class depends on, transitively, itself included, a diamond counted once', () => {
    const closure = registry().closureOf(A);
    expect(closure).toEqual(ids(A, B, C, D));
    expect(closure.size).toBe(4);
  });

  it('adds to the set it is given, so several roots make one closure', () => {
    const r = registry();
    const closure = r.closureOf(B);
    expect(r.closureOf(C, closure)).toBe(closure);
    expect(closure).toEqual(ids(B, C, D));
  });

  it('counts identities, not classes: two classes under one explicit id are one entry', () => {
    expect(registry().closureOf(NeedsTwins)).toEqual(new Set([componentIdentity(NeedsTwins), SHARED_ID]));
    expect(componentIdentity(Twin1)).toBe(SHARED_ID);
  });

  it('does not follow the dependencies of a class the user bound in the container', () => {
    const container = new Container();
    container.bind(B).toConstantValue({} as B);
    const r = registry(container);
    expect(r.isOverridden(B)).toBe(true);
    expect(r.closureOf(B)).toEqual(ids(B));
    expect(r.closureOf(A)).toEqual(ids(A, B, C, D)); // D still reached through C
  });

  it('ends on a cycle, each member once (start planning reports cycles before this runs)', () => {
    expect(registry().closureOf(P)).toEqual(ids(P, Q, R));
  });
});
