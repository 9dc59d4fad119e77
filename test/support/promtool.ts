/**
 * Prometheus' own linter for tests: `promtool check metrics` run as a child process on an
 * exposition body, and a plain HTTP scrape. promtool comes from `scripts/install-test-tools.sh`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { get } from 'node:http';

/** What `promtool check metrics` said about one body. */
export interface PromtoolReport {
  /** promtool's exit code: 0 clean, 3 lint problems, 1 a body it could not parse. */
  code: number;
  /** stdout and stderr together: one line per problem, empty when clean. */
  output: string;
}

const INSTALL_HINT = 'promtool (Prometheus) is not on PATH; run `scripts/install-test-tools.sh` (CI runs it before `npm test`).';

/** Throws with the install hint when `promtool` cannot be run. */
export function requirePromtool(): void {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`${INSTALL_HINT}\n${probe.error?.message ?? probe.stderr}`);
  }
}

/** Pipes `body` into `promtool check metrics` and collects what it reports. */
export function promtoolCheckMetrics(body: string): Promise<PromtoolReport> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { output += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { output += s; });
    child.once('error', (e) => reject(new Error(`${INSTALL_HINT}\n${e.message}`)));
    child.once('close', (code) => resolve({ code: code ?? -1, output: output.trim() }));
    child.stdin.on('error', () => undefined); // promtool may exit before reading everything; its report says why
    child.stdin.end(body);
  });
}

/** GET `url`; resolves with the status and the body. */
export function scrape(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** The metric family names a body declares (`# TYPE <name> <kind>`), with their kinds. */
export function families(body: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of body.matchAll(/^# TYPE (\S+) (\S+)$/gm)) found.set(m[1], m[2]);
  return found;
}
