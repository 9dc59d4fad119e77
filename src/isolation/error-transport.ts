/**
 * Errors across the isolation boundary: the host sends class name, message, stack, `code`,
 * `retryable` and `cause`; the parent rebuilds an Error whose `name` is the class name. An error
 * with a Minions code comes back as a `MinionsError`, so `MinionsError.is(e, code)` and
 * `instanceof` on the runtime's error classes hold as in process.
 */
import { ERROR_CODES } from '../core/error-codes';
import { MinionsError } from '../core/minions-error';

/** An error as it crosses the boundary. */
export interface WireError {
  /** Class name (`error.name`, else the constructor's name). */
  name: string;
  message: string;
  stack?: string;
  code?: string;
  retryable?: boolean;
  cause?: WireError;
}

/** The wire form of anything thrown (non-errors become an `Error` with their string form). */
export function toWireError(e: unknown, depth = 0): WireError {
  if (!(e instanceof Error)) return { name: 'Error', message: `Non-error thrown: ${safeString(e)}` };
  const wire: WireError = { name: e.name || e.constructor?.name || 'Error', message: e.message, stack: e.stack };
  const { code, retryable } = e as { code?: unknown; retryable?: unknown };
  if (typeof code === 'string' || typeof code === 'number') wire.code = String(code);
  if (typeof retryable === 'boolean') wire.retryable = retryable;
  if (e.cause !== undefined && depth < 4) wire.cause = toWireError(e.cause, depth + 1);
  return wire;
}

/** The error the caller sees: named after the original class, with its message, stack and code. */
export function fromWireError(wire: WireError): Error {
  const cause = wire.cause ? { cause: fromWireError(wire.cause) } : undefined;
  let error: Error;
  if (wire.code !== undefined && Object.prototype.hasOwnProperty.call(ERROR_CODES, wire.code)) {
    error = new MinionsError(wire.code, wire.message, { ...cause, retryable: wire.retryable });
  } else {
    error = new Error(wire.message, cause);
    if (wire.code !== undefined) Object.defineProperty(error, 'code', { value: wire.code, enumerable: true, writable: true, configurable: true });
    if (wire.retryable !== undefined) Object.defineProperty(error, 'retryable', { value: wire.retryable, enumerable: true, writable: true, configurable: true });
  }
  error.name = wire.name;
  if (wire.stack !== undefined) error.stack = wire.stack;
  return error;
}

function safeString(v: unknown): string {
  try {
    return String(v);
  } catch {
    return typeof v;
  }
}
