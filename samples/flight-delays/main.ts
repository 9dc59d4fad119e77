/**
 * Entry point of the flight-delays sample: `npm start -- [options]`
 * (runs `node <NODE_FLAGS> dist/samples/flight-delays/main.js`, see node-flags.ts). Exit codes: 0 done, 1 runtime error (among
 * them: another process holds the data directory), 2 usage error (bad flag or value, bad input
 * file, data dir of another run, an `alerts.db` or `minions.db` that cannot be opened),
 * 130/143 after SIGINT/SIGTERM (graceful: the next start resumes).
 */
import 'reflect-metadata';
import { parseCli } from './cli';

/** Runs the sample; resolves to the process exit code. */
export async function main(args: string[]): Promise<number> {
  const cli = parseCli(args);
  if (cli.kind === 'exit') return cli.code;
  // The runtime and the input readers (most of a second of module loading) are loaded only once
  // the arguments are valid, so `--help` and a usage error answer at once.
  const { startSample } = await import('./start');
  return startSample(cli.options);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
      // Everything is closed by now; should a stray handle remain, do not hang on it.
      setTimeout(() => process.exit(code), 2000).unref();
    },
    (e: unknown) => {
      process.stderr.write(`flight-delays: unexpected error: ${(e as Error)?.stack ?? String(e)}\n`);
      process.exit(1);
    },
  );
}
