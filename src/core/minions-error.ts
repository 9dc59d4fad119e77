import type { ErrorCode } from './error-codes';

/** Options common to every {@link MinionsError}. */
export interface MinionsErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Whether trying the same operation again may succeed. Default `false`. */
  retryable?: boolean;
}

/**
 * The brand every MinionsError carries (on `MinionsError.prototype`). `Symbol.for` gives every
 * loaded copy of the package the same symbol, so a brand check works where `instanceof` on a
 * class of one copy would fail for an error made by another.
 */
const BRAND: unique symbol = Symbol.for('minions.error') as never;

type Branded = { readonly [BRAND]?: true; readonly code?: unknown };

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];

/**
 * Base class of every error thrown by Minions: a stable `code` (see `ERROR_CODES`), a
 * `retryable` flag and an optional `cause`.
 *
 * `instanceof` works across loaded copies of the package: `e instanceof MinionsError` checks the
 * brand, and `e instanceof AbortWorkflow` (any runtime class with a `static code`) checks the
 * brand and the code. A class of your own that extends one of these keeps ordinary `instanceof`.
 * {@link MinionsError.is} is the same check as a type guard, and the cheapest.
 */
export class MinionsError extends Error {
  /** Stable machine-readable code, e.g. `'MINIONS_INVALID_COMPONENT'`. */
  readonly code: string;
  /** Whether retrying the failed operation may succeed. */
  readonly retryable: boolean;

  /**
   * @param code a code of `ERROR_CODES`, or one of your own for a subclass of your own.
   * @param message what went wrong, naming the thing, and what to do.
   */
  constructor(code: ErrorCode | (string & {}), message: string, options: MinionsErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = options.retryable ?? false;
  }

  /**
   * True for a MinionsError of this or another loaded copy of the package (and, with `code`,
   * only one with that code): a brand check and a string compare, no prototype walk.
   * @example if (MinionsError.is(e, 'MINIONS_ABORT_WORKFLOW')) log(e.message);
   */
  static is(value: unknown): value is MinionsError;
  static is<C extends ErrorCode>(value: unknown, code: C): value is MinionsError & { readonly code: C };
  static is(value: unknown, code?: ErrorCode): boolean {
    if (typeof value !== 'object' || value === null || (value as Branded)[BRAND] !== true) return false;
    return code === undefined || (value as Branded).code === code;
  }

  /**
   * `instanceof`: for MinionsError the brand; for a runtime subclass (one declaring its own
   * `static code`) the brand and that code; for any other subclass the ordinary prototype check.
   */
  static [Symbol.hasInstance](this: Function & { readonly code?: string }, value: unknown): boolean {
    if (this === MinionsError) return MinionsError.is(value);
    if (!Object.prototype.hasOwnProperty.call(this, 'code')) return ordinaryHasInstance.call(this, value);
    return MinionsError.is(value) && value.code === this.code;
  }
}

Object.defineProperty(MinionsError.prototype, BRAND, { value: true });
