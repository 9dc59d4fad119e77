import { ResourceCycleError } from '../../../src/core/errors';
import { resourceClosure } from '../../../src/di/resource-graph';
import { A, B, C, CycleRoot, D, Lead, P, Q, R, Root, Selfish } from './fixtures/resource-graph-classes';

const names = (classes: Function[]): string[] => classes.map((c) => c.name);

/** The ResourceCycleError `resourceClosure` throws for `roots`. */
function cycleOf(roots: Function[]): ResourceCycleError {
  try {
    resourceClosure(roots);
  } catch (e) {
    expect(e).toBeInstanceOf(ResourceCycleError);
    return e as ResourceCycleError;
  }
  throw new Error('resourceClosure found no cycle');
}

describe('resourceClosure (SEMANTICS 3)', () => {
  it('collects every resource reachable from the roots, dependencies before dependents, the roots themselves left out', () => {
    expect(names(resourceClosure([Root]))).toEqual(['D', 'B', 'C', 'A']);
    expect(names(resourceClosure([A]))).toEqual(['D', 'B', 'C']);
  });

  it('lists a resource reached along several paths once (a diamond, a repeated parameter, several roots)', () => {
    expect(names(resourceClosure([Root, A, B]))).toEqual(['D', 'B', 'C', 'A']);
  });

  it('is empty for a root with no resource dependencies, and leaves out non-resource parameters', () => {
    expect(resourceClosure([D])).toEqual([]);
    expect(names(resourceClosure([B]))).toEqual(['D']);
  });

  it('includes an overridden class but does not follow its own dependencies', () => {
    expect(names(resourceClosure([Root], (cls) => cls === B))).toEqual(['B', 'D', 'C', 'A']);
    expect(names(resourceClosure([A], (cls) => cls === B || cls === C))).toEqual(['B', 'C']);
  });

  it('reports a cycle as ResourceCycleError naming the whole path, its first class repeated at the end', () => {
    const error = cycleOf([P]);
    expect(error.path).toEqual(['Q', 'R', 'P', 'Q']);
    expect(error.code).toBe('MINIONS_RESOURCE_CYCLE');
    expect(error.message).toBe('Resource dependency cycle: Q -> R -> P -> Q. Break the cycle or inject one side lazily.');
  });

  it('names the cycle from where the walk entered it, leaving out the resources that led there', () => {
    expect(cycleOf([CycleRoot]).path).toEqual(['P', 'Q', 'R', 'P']);
    expect(cycleOf([Lead]).path).toEqual(['P', 'Q', 'R', 'P']);
    expect(cycleOf([R]).path).toEqual(['P', 'Q', 'R', 'P']);
  });

  it('reports a resource that depends on itself', () => {
    expect(cycleOf([Selfish]).path).toEqual(['Selfish', 'Selfish']);
  });

  it('finds no cycle once an overridden class breaks it', () => {
    expect(names(resourceClosure([Lead], (cls) => cls === Q))).toEqual(['Q', 'P']);
  });
});
