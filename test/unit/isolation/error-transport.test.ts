import { AbortWorkflow, InvalidComponentError, MinionsError } from 'minions';
import { fromWireError, toWireError } from '../../../src/isolation/error-transport';

/** What the caller sees after an error crossed the boundary (the wire form is structured-cloned). */
const across = (e: unknown) => fromWireError(structuredClone(toWireError(e)));

describe('an error crosses the boundary with its class name, message, stack and code', () => {
  it('an ordinary error keeps name, message and stack; code and retryable when it had them', () => {
    const original = Object.assign(new RangeError('too far'), { code: 'E_RANGE', retryable: true });
    const back = across(original);
    expect(back).toBeInstanceOf(Error);
    expect(back).toMatchObject({ name: 'RangeError', message: 'too far', code: 'E_RANGE', retryable: true });
    expect(back.stack).toBe(original.stack);
  });

  it('a user error class comes back named after its class', () => {
    class QuotaExceeded extends Error { constructor() { super('quota'); this.name = 'QuotaExceeded'; } }
    expect(across(new QuotaExceeded())).toMatchObject({ name: 'QuotaExceeded', message: 'quota' });
  });

  it('a Minions error keeps MinionsError.is(e, code) and instanceof of its class', () => {
    const back = across(new InvalidComponentError('bad class'));
    expect(MinionsError.is(back, 'MINIONS_INVALID_COMPONENT')).toBe(true);
    expect(back).toBeInstanceOf(InvalidComponentError);
    expect(back).toMatchObject({ name: 'InvalidComponentError', message: 'bad class', retryable: false });
    const abort = across(new AbortWorkflow('not ours'));
    expect(abort).toBeInstanceOf(AbortWorkflow);
    expect(abort).not.toBeInstanceOf(InvalidComponentError);
  });

  it('a cause crosses too; a thrown non-error becomes an Error saying what was thrown', () => {
    const back = across(new Error('outer', { cause: new TypeError('inner') }));
    expect(back.cause).toMatchObject({ name: 'TypeError', message: 'inner' });
    expect(across('just a string')).toMatchObject({ name: 'Error', message: 'Non-error thrown: just a string' });
  });
});
