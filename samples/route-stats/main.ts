/**
 * Entry point of the route-stats sample: `npm run sample:route-stats -- [options]` (runs
 * `node dist/samples/route-stats/main.js`; isolated resources load compiled JavaScript).
 * Exit codes: 0 done, 1 runtime error, 2 usage error.
 */
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCli } from './cli';
import { flightsFile } from './datasets';
import { runRouteStats } from './run';
import { RouteSettings, readFlights } from './settings';
import { buildSummary, formatSummary } from './summary';

/** Runs the sample; resolves to the process exit code. */
export async function main(args: string[]): Promise<number> {
  const cli = parseCli(args);
  if (cli.kind === 'exit') return cli.code;
  const { isolation, limit, crashAt, json } = cli.options;
  // The crash marker lives in a directory of this run only, removed at the end.
  const dir = mkdtempSync(join(tmpdir(), 'route-stats-'));
  try {
    const settings = new RouteSettings(readFlights(flightsFile(), limit), { crashAt: crashAt ?? null, crashMarker: join(dir, 'crashed') });
    process.stderr.write(`route-stats: ${settings.flights.length} flights, CPU-heavy resource ${isolation === 'none' ? 'in process' : `in a ${isolation === 'worker' ? 'worker thread' : 'child process'}`}` +
      `${crashAt === undefined ? '' : `, the fingerprint's child segfaults at flight ${crashAt}`}\n`);
    const summary = buildSummary(isolation, await runRouteStats(settings, isolation));
    process.stdout.write(json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (e: unknown) => {
      process.stderr.write(`route-stats: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
