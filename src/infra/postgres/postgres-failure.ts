import { MinionsError, StateStoreOpenError, type StateStoreFileProblem, type StateStoreServer } from '../../core/errors';

/** What `startup()` was doing when it failed. */
export type PostgresStage = 'connect' | 'migrate' | 'check';

/** `postgres://user@host:port/database table t`: how errors name a server store (no password). */
export function describeServer(server: StateStoreServer): string {
  return `postgres://${server.user}@${server.host}:${server.port}/${server.database} table ${server.table}`;
}

/** The system's or the server's code of `error`: SQLSTATE (`28P01`), errno name (`ECONNREFUSED`), or `UNKNOWN`. */
export function errorCodeOf(error: unknown): string {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== null && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.length > 0) return code;
    // Node's happy-eyeballs connect (a name with several addresses) fails with an AggregateError.
    const inner = (current as { errors?: unknown }).errors;
    current = Array.isArray(inner) && inner.length > 0 ? inner[0] : (current as { cause?: unknown }).cause;
  }
  return 'UNKNOWN';
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || (error as { errors?: Error[] }).errors?.map((e) => e.message).join('; ') || error.name;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * The {@link StateStoreOpenError} for a failure of `PostgresStateStore.startup()`: names the
 * server (host, port, database, user, table), what is wrong and what to do; `cause` is the `pg`
 * error. A {@link MinionsError} passes through unchanged.
 */
export function postgresFailure(server: StateStoreServer, stage: PostgresStage, error: unknown): MinionsError {
  if (MinionsError.is(error)) return error;
  const code = errorCodeOf(error);
  const text = messageOf(error);
  const where = `${server.host}:${server.port}`;
  let problem: StateStoreFileProblem;
  let what: string;
  let hint: string;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ENOENT') {
    problem = 'unreachable';
    what = code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `host ${server.host} not found` : `no PostgreSQL server answers at ${where}`;
    hint = 'Check that the server is running and listening there (listen_addresses, port), and that url/pool options name the right host and port.';
  } else if (code === 'ETIMEDOUT' || /timeout/i.test(text)) {
    problem = 'timeout';
    what = `no answer from ${where} within the connection timeout`;
    hint = 'Check the host and port, firewalls between here and the server, and pool.connectionTimeoutMillis.';
  } else if (code === '28P01' || code === '28000' || /password|SASL|SCRAM|authentication/i.test(text)) {
    problem = 'auth-failed';
    what = `the server refused user ${server.user} (${text})`;
    hint = 'Check the user and password in the url or pool options, and the server\'s pg_hba.conf entry for this client.';
  } else if (code === '3D000') {
    problem = 'no-database';
    what = `database ${server.database} does not exist`;
    hint = `Create it (CREATE DATABASE ${server.database} OWNER ${server.user}) or name an existing one.`;
  } else if (code === '42501') {
    problem = 'permission-denied';
    what = `user ${server.user} lacks a privilege the store needs (${text})`;
    hint = stage === 'migrate'
      ? 'The first start creates the table: grant CREATE on the schema (or create the table as its owner), then start again.'
      : `Grant SELECT, INSERT, UPDATE, DELETE on ${server.table} and ${server.table}_executors to ${server.user}.`;
  } else {
    problem = 'cannot-open';
    what = `${stage === 'migrate' ? 'creating or upgrading the table failed' : 'the server cannot be used'}: ${text}`;
    hint = 'The cause has the server\'s (or the system\'s) error.';
  }
  return new StateStoreOpenError({ file: describeServer(server), problem, sqliteCode: code, server },
    `PostgresStateStore at ${describeServer(server)}: ${what} [${code}]. ${hint}`, { cause: error });
}
