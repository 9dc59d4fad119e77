import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * jest globalSetup: starts a throwaway PostgreSQL cluster for the PostgresStateStore tests
 * (scripts/test-postgres.sh: initdb in a temp dir, 127.0.0.1, a port from 55432 up) and passes
 * its URL to the test workers as MINIONS_TEST_POSTGRES_URL. With MINIONS_TEST_POSTGRES_URL
 * already set, uses that server and starts nothing. If the cluster cannot start, the run goes
 * on and MINIONS_TEST_POSTGRES_UNAVAILABLE holds the reason, which the tests needing it fail
 * with (test/support/postgres.ts).
 */
export default function startTestPostgres(): void {
  if (process.env.MINIONS_TEST_POSTGRES_URL) return;
  const script = join(__dirname, '..', '..', 'scripts', 'test-postgres.sh');
  try {
    const out = execFileSync(script, ['start'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000,
      // A later run stops this cluster if this process dies before its teardown.
      env: { ...process.env, MINIONS_TEST_POSTGRES_OWNER_PID: String(process.pid) },
    });
    for (const line of out.split('\n')) {
      const match = /^(MINIONS_TEST_POSTGRES_(?:URL|DIR))=(.*)$/.exec(line);
      if (match) process.env[match[1]!] = match[2]!;
    }
    if (!process.env.MINIONS_TEST_POSTGRES_URL) throw new Error(`${script} start printed no URL: ${out}`);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    process.env.MINIONS_TEST_POSTGRES_UNAVAILABLE = `${script} start failed: ${stderr?.trim() || (error as Error).message}`;
  }
}
