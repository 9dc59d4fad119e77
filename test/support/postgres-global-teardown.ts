import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** jest globalTeardown: stops the cluster postgres-global-setup.ts started (pg_ctl stop -m fast) and removes its directory. */
export default function stopTestPostgres(): void {
  const dir = process.env.MINIONS_TEST_POSTGRES_DIR;
  if (!dir) return;
  execFileSync(join(__dirname, '..', '..', 'scripts', 'test-postgres.sh'), ['stop', dir], { stdio: 'inherit', timeout: 60_000 });
  delete process.env.MINIONS_TEST_POSTGRES_DIR;
  delete process.env.MINIONS_TEST_POSTGRES_URL;
}
