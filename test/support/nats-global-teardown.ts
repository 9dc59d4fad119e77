import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** jest globalTeardown: stops the server nats-global-setup.ts started and removes its directory. */
export default function stopTestNats(): void {
  const dir = process.env.MINIONS_TEST_NATS_DIR;
  if (!dir) return;
  execFileSync(join(__dirname, '..', '..', 'scripts', 'test-nats.sh'), ['stop', dir], { stdio: 'inherit', timeout: 60_000 });
  delete process.env.MINIONS_TEST_NATS_DIR;
  delete process.env.MINIONS_TEST_NATS_URL;
}
