import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * jest globalSetup: starts a throwaway `nats-server -js` for the JetStreamPipeline tests
 * (scripts/test-nats.sh: 127.0.0.1, a port from 54222 up, its store in a temp dir) and passes its
 * URL to the test workers as MINIONS_TEST_NATS_URL. With MINIONS_TEST_NATS_URL already set, uses
 * that server and starts nothing. If the server cannot start, the run goes on and
 * MINIONS_TEST_NATS_UNAVAILABLE holds the reason, which the tests needing it fail with
 * (test/support/nats.ts).
 */
export default function startTestNats(): void {
  if (process.env.MINIONS_TEST_NATS_URL) return;
  const script = join(__dirname, '..', '..', 'scripts', 'test-nats.sh');
  try {
    const out = execFileSync(script, ['start'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000,
      // A later run stops this server if this process dies before its teardown.
      env: { ...process.env, MINIONS_TEST_NATS_OWNER_PID: String(process.pid) },
    });
    for (const line of out.split('\n')) {
      const match = /^(MINIONS_TEST_NATS_(?:URL|DIR))=(.*)$/.exec(line);
      if (match) process.env[match[1]!] = match[2]!;
    }
    if (!process.env.MINIONS_TEST_NATS_URL) throw new Error(`${script} start printed no URL: ${out}`);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    process.env.MINIONS_TEST_NATS_UNAVAILABLE = `${script} start failed: ${stderr?.trim() || (error as Error).message}`;
  }
}
