import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { S6_ENV } from './s6';

/** A throwaway server started for the bench, and how to stop it. */
interface Started { name: string; stop: () => void; }

const SCRIPTS = join(__dirname, '..', '..', 'scripts');

/**
 * Starts what S6 needs, as the test setup does (scripts/test-postgres.sh, scripts/test-nats.sh:
 * loopback, ports of their own, temp dirs), unless MINIONS_BENCH_POSTGRES_URL or
 * MINIONS_BENCH_NATS_URL name servers already; sets those variables for the scenario processes.
 * Returns a function that stops what it started.
 * @throws Error with the script's message when a server cannot start (what started is stopped).
 */
export function startBenchServers(): () => void {
  const started: Started[] = [];
  const stopAll = (): void => { for (const s of started.splice(0).reverse()) s.stop(); };
  const start = (name: string, script: string, urlVar: string, envVar: string, dirVar: string): void => {
    if (process.env[envVar]) return;
    const path = join(SCRIPTS, script);
    let out: string;
    try {
      // With this process as owner, a later start stops the servers of a bench killed before its end.
      const owner = { MINIONS_TEST_POSTGRES_OWNER_PID: String(process.pid), MINIONS_TEST_NATS_OWNER_PID: String(process.pid) };
      out = execFileSync(path, ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000, env: { ...process.env, ...owner } });
    } catch (e) {
      stopAll();
      throw new Error(`S6 needs ${name}: ${path} start failed: ${String((e as { stderr?: string }).stderr ?? (e as Error).message).trim()} ` +
        `(or set ${envVar} to a server of your own)`);
    }
    const value = (key: string): string | undefined => new RegExp(`^${key}=(.*)$`, 'm').exec(out)?.[1];
    const url = value(urlVar);
    const dir = value(dirVar);
    if (!url || !dir) { stopAll(); throw new Error(`${path} start printed no ${urlVar}: ${out}`); }
    process.env[envVar] = url;
    started.push({ name, stop: () => { execFileSync(path, ['stop', dir], { stdio: 'ignore' }); delete process.env[envVar]; } });
    process.stderr.write(`minions bench: started ${name} at ${url} for S6\n`);
  };
  start('PostgreSQL', 'test-postgres.sh', 'MINIONS_TEST_POSTGRES_URL', S6_ENV.postgres, 'MINIONS_TEST_POSTGRES_DIR');
  start('nats-server -js', 'test-nats.sh', 'MINIONS_TEST_NATS_URL', S6_ENV.nats, 'MINIONS_TEST_NATS_DIR');
  return stopAll;
}
