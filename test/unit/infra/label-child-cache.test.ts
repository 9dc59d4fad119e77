import { LabelChildCache } from '../../../src/infra/label-child-cache';

describe('LabelChildCache', () => {
  const make = () => {
    const create = jest.fn((labels: Record<string, string>) => ({ key: `${labels.a}/${labels.b}` }));
    return { create, cache: new LabelChildCache(['a', 'b'], create) };
  };

  it('creates one child per label set, found again by object and by values', () => {
    const { create, cache } = make();
    const labels = { a: '1', b: '2' };
    const child = cache.get(labels);
    expect(cache.get(labels)).toBe(child);
    expect(cache.get({ b: '2', a: '1' })).toBe(child);
    expect(create).toHaveBeenCalledTimes(1);
    expect(cache.get({ a: '1', b: '3' })).not.toBe(child);
    expect(cache.size).toBe(2);
  });

  it('notices a labels object mutated after its first use', () => {
    const { cache } = make();
    const labels = { a: '1', b: '2' };
    cache.get(labels);
    labels.b = '9';
    expect(cache.get(labels)).toEqual({ key: '1/9' });
  });

  it('tells a missing label from an empty one', () => {
    const { create, cache } = make();
    cache.get({ a: '1', b: '' });
    cache.get({ a: '1' } as Record<string, string>);
    expect(create).toHaveBeenCalledTimes(2);
  });

  it('caches nothing when create throws', () => {
    const create = jest.fn(() => {
      throw new Error('bad labels');
    });
    const cache = new LabelChildCache(['a'], create);
    const labels = { a: '1' };
    expect(() => cache.get(labels)).toThrow('bad labels');
    expect(() => cache.get(labels)).toThrow('bad labels');
    expect(cache.size).toBe(0);
  });
});
