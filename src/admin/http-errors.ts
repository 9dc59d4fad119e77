import { MinionsError } from '../core/minions-error';

/** An error the admin answers with its own HTTP status (bad request, unauthorized, ...), not a MinionsError. */
export class HttpError extends Error {
  constructor(
    /** HTTP status code. */
    readonly status: number,
    /** Short name, used as the body's `code` (upper snake case) and `type`. */
    readonly type: string,
    message: string,
    /** Extra response headers (`WWW-Authenticate`, `Allow`). */
    readonly headers: Record<string, string> = {},
    /** The body's `code`; default `type` in upper snake case. */
    readonly code?: string,
  ) {
    super(message);
    this.name = type;
  }
}

/** The JSON body of an error reply. */
export interface AdminErrorBody {
  error: { code: string; type: string; message: string };
}

const BAD_INPUT = new Set(['MINIONS_INVALID_ARGUMENT', 'MINIONS_INVALID_OPTION', 'MINIONS_INVALID_COMPONENT', 'MINIONS_CONFIG', 'MINIONS_RESOURCE_CYCLE']);

/**
 * The HTTP status of an error: its own for an {@link HttpError}; for a MinionsError 400 (bad
 * input), 404 (`*_NOT_FOUND`), 409 (saved workflows that no longer fit), 503 (the Gru shut
 * down, or memory above the guard's soft limit); 500 for anything else.
 */
export function httpStatusOf(error: unknown): number {
  if (error instanceof HttpError) return error.status;
  if (!MinionsError.is(error)) return 500;
  if (BAD_INPUT.has(error.code)) return 400;
  if (error.code.endsWith('_NOT_FOUND')) return 404;
  if (error.code === 'MINIONS_WORKFLOW_CONTEXT_TYPE_MISMATCH') return 409;
  if (error.code === 'MINIONS_GRU_SHUT_DOWN' || error.code === 'MINIONS_MEMORY_PRESSURE') return 503;
  return 500;
}

/** `{ error: { code, type, message } }`: the code of a MinionsError, else the type in upper snake case. */
export function errorBody(error: unknown): AdminErrorBody {
  if (!(error instanceof Error)) return { error: { code: 'NON_ERROR_THROWN', type: typeof error, message: String(error) } };
  const e = error;
  const type = e instanceof HttpError ? e.type : e.name || e.constructor.name;
  const code = MinionsError.is(e) ? e.code : e instanceof HttpError && e.code ? e.code : type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return { error: { code, type, message: e.message } };
}
