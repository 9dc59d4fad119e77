import { InvalidComponentError } from '../../../src/core/errors';
import { assertUniqueComponentId, otherClaims, registerComponentId } from '../../../src/core/identity/id-registry';

const ID = '77777777-0000-4000-8000-000000000001';

describe('SEMANTICS 2: the process-wide component id registry', () => {
  class A {}
  class B {}
  class AReloaded {}
  registerComponentId('minion', ID, A, 'src/a.ts:A');

  it('passes a class whose id nobody else claims, and classes without an id', () => {
    expect(() => assertUniqueComponentId('minion', ID, 'src/a.ts:A')).not.toThrow();
    expect(() => assertUniqueComponentId('minion', undefined, 'src/z.ts:Z')).not.toThrow();
  });

  it('treats another load of the same file:Class as the same component', () => {
    registerComponentId('minion', ID, AReloaded, 'src/a.ts:A');
    expect(otherClaims('minion', ID, 'src/a.ts:A')).toEqual([]);
    expect(() => assertUniqueComponentId('minion', ID, 'src/a.ts:A')).not.toThrow();
  });

  it('allows the same id on another kind', () => {
    registerComponentId('pipeline', ID, B, 'src/b.ts:B');
    expect(() => assertUniqueComponentId('pipeline', ID, 'src/b.ts:B')).not.toThrow();
  });

  it('refuses two classes claiming one (kind, id), naming both, whichever asks', () => {
    registerComponentId('minion', ID, B, 'src/b.ts:B');
    expect(otherClaims('minion', ID, 'src/b.ts:B')).toEqual([{ address: 'src/a.ts:A', cls: AReloaded }]);
    for (const address of ['src/a.ts:A', 'src/b.ts:B']) {
      expect(() => assertUniqueComponentId('minion', ID, address)).toThrow(InvalidComponentError);
    }
    expect(() => assertUniqueComponentId('minion', ID, 'src/b.ts:B'))
      .toThrow(`Duplicate @minion id ${ID}: claimed by both src/b.ts:B and src/a.ts:A. Each minion class needs its own id`);
  });

  it('lives on globalThis under Symbol.for, shared by every copy of the package', () => {
    const shared = (globalThis as Record<symbol, unknown>)[Symbol.for('minions.componentIds')] as Map<string, unknown[]>;
    expect(shared).toBeInstanceOf(Map);
    expect(shared.get(`minion\0${ID}`)).toHaveLength(2);
  });
});
