import 'reflect-metadata';
import { Command } from 'commander';
import { infoById, RESULT_PREFIX } from './catalog';
import { freshWorkDir, removeWorkDir, scenarioById } from './scenarios';

/** One scenario run, in this (fresh) process: prints its result line, then exits. */
async function main(): Promise<void> {
  const program = new Command()
    .requiredOption('--scenario <id>', 'scenario id')
    .option('--n <count>', 'units of work (default: the scenario\'s)', (v) => Number.parseInt(v, 10))
    .parse(process.argv);
  const opts = program.opts<{ scenario: string; n?: number }>();
  const def = scenarioById(opts.scenario);
  const info = infoById(opts.scenario);
  if (!def || !info) throw new Error(`unknown scenario ${opts.scenario}`);
  const n = opts.n ?? info.defaultN;
  const dir = freshWorkDir();
  try {
    const out = await def.run(n, dir);
    const peakRssMiB = out.peakRssMiB ?? process.resourceUsage().maxRSS / 1024;
    process.stdout.write(RESULT_PREFIX + JSON.stringify({
      scenario: def.id, n: out.n, wall_s: out.wallS, per_s: out.perSecond, peak_rss_mib: peakRssMiB, extra: out.extra,
    }) + '\n');
  } finally {
    removeWorkDir(dir);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench child failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
