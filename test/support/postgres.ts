import { randomBytes } from 'node:crypto';

/**
 * URL of the test PostgreSQL server (started by test/support/postgres-global-setup.ts, or given
 * as MINIONS_TEST_POSTGRES_URL). Throws with the reason when there is none: tests needing
 * PostgreSQL fail, never skip.
 */
export function postgresUrl(): string {
  const url = process.env.MINIONS_TEST_POSTGRES_URL;
  if (url) return url;
  throw new Error('No PostgreSQL server for this test: ' + (process.env.MINIONS_TEST_POSTGRES_UNAVAILABLE ??
    'MINIONS_TEST_POSTGRES_URL is not set (jest\'s globalSetup, test/support/postgres-global-setup.ts, starts one with scripts/test-postgres.sh; ' +
    'install the server with scripts/install-test-tools.sh).'));
}

/** A table name no other test uses, so every test starts on an empty table. */
export function freshTable(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** The URL with another password, port or database. */
export function postgresUrlWith(change: { password?: string; port?: number; database?: string }): string {
  const url = new URL(postgresUrl());
  if (change.password !== undefined) url.password = change.password;
  if (change.port !== undefined) url.port = String(change.port);
  if (change.database !== undefined) url.pathname = `/${change.database}`;
  return url.toString();
}
