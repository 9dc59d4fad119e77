import { randomBytes } from 'node:crypto';

/**
 * URL of the test NATS server with JetStream (started by test/support/nats-global-setup.ts, or
 * given as MINIONS_TEST_NATS_URL). Throws with the reason when there is none: tests needing NATS
 * fail, never skip.
 */
export function natsUrl(): string {
  const url = process.env.MINIONS_TEST_NATS_URL;
  if (url) return url;
  throw new Error('No NATS server for this test: ' + (process.env.MINIONS_TEST_NATS_UNAVAILABLE ??
    'MINIONS_TEST_NATS_URL is not set (jest\'s globalSetup, test/support/nats-global-setup.ts, starts one with scripts/test-nats.sh; ' +
    'install the server with scripts/install-test-tools.sh).'));
}

/** A stream name no other test uses. */
export function freshStream(prefix = 'S'): string {
  return `${prefix}_${randomBytes(6).toString('hex').toUpperCase()}`;
}
