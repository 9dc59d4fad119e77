import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) this summary reads. */
interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

interface Row {
  name: string;
  selfMs: number;
  totalMs: number;
}

function frameName(f: CpuProfile['nodes'][number]['callFrame']): string {
  const fn = f.functionName || '(anonymous)';
  if (!f.url) return fn;
  let where = f.url.replace(/^file:\/\//, '');
  if (where.startsWith('/')) where = relative(process.cwd(), where);
  where = where.replace(/^(\.\.\/)*node_modules\//, '~');
  return `${fn} ${where}:${f.lineNumber + 1}`;
}

/**
 * Self and total time per function of one or more CPU profiles, heaviest first.
 * Total time counts a function once per sample even when it recurses.
 */
export function summarize(profiles: CpuProfile[]): { rows: Row[]; totalMs: number; byFile: Row[] } {
  const self = new Map<string, number>();
  const total = new Map<string, number>();
  const fileSelf = new Map<string, number>();
  let totalMs = 0;
  for (const p of profiles) {
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    for (let i = 0; i < p.samples.length; i++) {
      const ms = (p.timeDeltas[i] ?? 0) / 1000;
      totalMs += ms;
      const leaf = byId.get(p.samples[i]);
      if (!leaf) continue;
      const leafName = frameName(leaf.callFrame);
      self.set(leafName, (self.get(leafName) ?? 0) + ms);
      const file = leaf.callFrame.url ? frameName({ ...leaf.callFrame, functionName: '', lineNumber: -1 }).replace(/:0$/, '').trim() : leafName;
      fileSelf.set(file, (fileSelf.get(file) ?? 0) + ms);
      const seen = new Set<string>();
      for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
        const name = frameName(byId.get(id)!.callFrame);
        if (seen.has(name)) continue;
        seen.add(name);
        total.set(name, (total.get(name) ?? 0) + ms);
      }
    }
  }
  const rows = [...self.entries()].map(([name, selfMs]) => ({ name, selfMs, totalMs: total.get(name) ?? selfMs }));
  rows.sort((a, b) => b.selfMs - a.selfMs);
  const byFile = [...fileSelf.entries()].map(([name, ms]) => ({ name, selfMs: ms, totalMs: ms })).sort((a, b) => b.selfMs - a.selfMs);
  return { rows, totalMs, byFile };
}

function main(): void {
  const program = new Command()
    .name('node dist/bench/profile-summary.js')
    .description('Summarizes V8 CPU profiles (from `npm run bench -- --cpu-prof DIR`): self and total time per function, and self time per file.')
    .argument('<profiles...>', '.cpuprofile files (several are added up)')
    .option('--top <n>', 'rows to show', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
      return n;
    }, 30)
    .parse(process.argv);
  const { top } = program.opts<{ top: number }>();
  const profiles = program.args.map((f) => JSON.parse(readFileSync(f, 'utf8')) as CpuProfile);
  const { rows, totalMs, byFile } = summarize(profiles);
  const pct = (ms: number): string => `${((100 * ms) / totalMs).toFixed(1).padStart(5)} %`;
  process.stdout.write(`${totalMs.toFixed(0)} ms sampled in ${profiles.length} profile(s)\n\nself      total     function\n`);
  for (const r of rows.slice(0, top)) process.stdout.write(`${pct(r.selfMs)}  ${pct(r.totalMs)}  ${r.name}\n`);
  process.stdout.write('\nself by file\n');
  for (const r of byFile.slice(0, Math.min(top, 20))) process.stdout.write(`${pct(r.selfMs)}  ${r.name}\n`);
}

if (require.main === module) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0); // `| head` closed the pipe: fine
    throw e;
  });
  main();
}
