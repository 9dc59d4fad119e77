import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { CATALOG as SCENARIOS, GROUPS, infoById as scenarioById, RESULT_PREFIX } from './catalog';
import { startBenchServers } from './servers';
import { machine, median, PYTHON, renderTable, type Summary } from './report';

interface RunResult {
  scenario: string;
  n: number;
  wall_s: number;
  per_s: number | null;
  peak_rss_mib: number;
  extra: Record<string, unknown>;
}

interface Options {
  scenario?: string[];
  n?: number;
  runs: number;
  cpuProf?: string;
  out?: string;
  timeout: number;
  list?: boolean;
  interleave?: boolean;
}

const positiveInt = (v: string): number => {
  const n = Number(v.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
};

/** Runs one scenario once, in a fresh child process (its own Gru, its own peak RSS). */
function runChild(id: string, n: number | undefined, index: number, opts: Options): Promise<RunResult> {
  const execArgv: string[] = [];
  if (id === 'S5') execArgv.push('--expose-gc');
  if (opts.cpuProf) {
    execArgv.push('--cpu-prof', '--cpu-prof-dir', resolve(opts.cpuProf), '--cpu-prof-name', `${id}-run${index + 1}.cpuprofile`);
  }
  const args = [...execArgv, join(__dirname, 'child.js'), '--scenario', id];
  if (n !== undefined) args.push('--n', String(n));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeout * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (code !== 0 || !line) {
        reject(new Error(`${id} run ${index + 1} failed (exit ${code ?? signal}${signal === 'SIGKILL' ? `, killed after ${opts.timeout} s` : ''}):\n${stderr.trim()}`));
        return;
      }
      resolvePromise(JSON.parse(line.slice(RESULT_PREFIX.length)) as RunResult);
    });
  });
}

function summarize(id: string, runs: RunResult[]): Summary {
  const def = scenarioById(id)!;
  const rates = runs.map((r) => r.per_s).filter((v): v is number => v !== null);
  // The run whose throughput (or cycle time, for S5) is the median gives the `extra` figures.
  const key = (r: RunResult): number => r.per_s ?? -Number(r.extra.ms_per_cycle);
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  const mid = sorted[(sorted.length - 1) >> 1];
  const extra: Record<string, unknown> = { ...mid.extra, title: def.title, runs: runs.length };
  if (rates.length > 0) extra.runs_per_s = rates.map((r) => Math.round(r));
  if (id === 'S5') {
    for (const k of ['ms_per_cycle', 'rss_growth_mib']) extra[k] = median(runs.map((r) => Number(r.extra[k])));
    extra.runs_ms_per_cycle = runs.map((r) => r.extra.ms_per_cycle);
    extra.runs_rss_growth_mib = runs.map((r) => r.extra.rss_growth_mib);
  }
  return {
    scenario: id,
    title: def.title,
    n: mid.n,
    wall_s: median(runs.map((r) => r.wall_s)),
    per_s: rates.length > 0 ? median(rates) : null,
    peak_rss_mib: median(runs.map((r) => r.peak_rss_mib)),
    extra,
    runs: runs.length,
  };
}

/** The JSON line of one scenario: impl, scenario, n, wall_s, workflows_per_s, peak_rss_mib, extra. */
function jsonLine(s: Summary, by: Map<string, Summary>): string {
  const extra = { ...s.extra };
  const f1 = by.get('F1')?.per_s;
  const f2 = by.get('F2')?.per_s;
  if (s.per_s !== null && f1 && ['S1', 'S1-prom', 'S3'].includes(s.scenario)) extra.vs_f1 = +(s.per_s / f1).toFixed(4);
  if (s.per_s !== null && f2 && s.scenario.startsWith('S2')) extra.vs_f2 = +(s.per_s / f2).toFixed(4);
  const s2 = by.get('S2')?.per_s;
  if (s.per_s !== null && s2 && (s.scenario === 'S7' || s.scenario.startsWith('S6-'))) extra.vs_s2 = +(s.per_s / s2).toFixed(4);
  const py = PYTHON[s.scenario];
  if (py?.perSecond) extra.python_workflows_per_s = py.perSecond;
  if (py?.msPerCycle) extra.python_ms_per_cycle = py.msPerCycle;
  return JSON.stringify({
    impl: 'minions-ts',
    scenario: s.scenario,
    n: s.n,
    wall_s: +s.wall_s.toFixed(4),
    workflows_per_s: s.per_s === null ? null : Math.round(s.per_s),
    peak_rss_mib: +s.peak_rss_mib.toFixed(1),
    extra,
  });
}

async function main(): Promise<void> {
  const program = new Command()
    .name('npm run bench --')
    .description('Runs the benchmark scenarios (S1-S5, S6 scale-out over JetStream and PostgreSQL, S7 the flight-delays sample, floors F1-F2, ' +
      'and the observability variants), ' +
      'each run in a fresh child process; prints a table and one JSON line per scenario (medians).')
    .option('-s, --scenario <ids...>', `scenarios to run (default: all): ${SCENARIOS.map((s) => s.id).join(', ')}`)
    .option('-n, --n <count>', 'units of work for the selected scenarios (S3: events; S5: cycles); default: the scenario\'s', positiveInt)
    .option('-r, --runs <count>', 'runs per scenario (the median is reported)', positiveInt, 3)
    .option('--cpu-prof <dir>', 'write a V8 CPU profile of every scenario run into <dir> (node --cpu-prof)')
    .option('--out <file>', 'also append the JSON lines to <file>')
    .option('--timeout <seconds>', 'kill a scenario run after this long', positiveInt, 300)
    .option('--interleave', 'run the scenarios in turn (S2 S7 S2 S7 ...) rather than each one\'s runs in a row: ' +
      'on a shared machine the load then weighs on all of them alike, and their ratio holds')
    .option('--list', 'list the scenarios and exit')
    .parse(process.argv);
  const opts = program.opts<Options>();
  if (opts.list) {
    for (const s of SCENARIOS) process.stdout.write(`${s.id.padEnd(11)} N=${s.defaultN.toLocaleString('en-US').padEnd(8)} ${s.title}\n`);
    return;
  }
  const named = (opts.scenario ?? SCENARIOS.map((s) => s.id)).flatMap((s) => s.split(',')).filter(Boolean)
    .flatMap((s) => GROUPS[s.toUpperCase()] ?? [s]).map((s) => {
      const def = scenarioById(s);
      if (!def) return program.error(`unknown scenario '${s}' (known: ${SCENARIOS.map((d) => d.id).join(', ')}; S6 runs S2 and S6-1..3)`);
      return def.id;
    });
  const ids = [...new Set(named)];
  if (opts.cpuProf) mkdirSync(opts.cpuProf, { recursive: true });
  const m = machine();
  process.stderr.write(`minions bench: ${m.cores} x ${m.cpu}, Node ${m.node}, ${m.platform}; ${opts.runs} run(s) per scenario\n`);
  const began = performance.now();
  const order = opts.interleave
    ? Array.from({ length: opts.runs }, (_, i) => ids.map((id) => ({ id, i }))).flat()
    : ids.flatMap((id) => Array.from({ length: opts.runs }, (_, i) => ({ id, i })));
  const runsById = new Map<string, RunResult[]>(ids.map((id) => [id, []]));
  // S6 needs PostgreSQL and NATS: throwaway servers for this run, stopped at its end.
  const stopServers = ids.some((id) => id.startsWith('S6-')) ? startBenchServers() : () => undefined;
  try {
    for (const { id, i } of order) {
      const r = await runChild(id, opts.n, i, opts);
      runsById.get(id)!.push(r);
      const shown = r.per_s !== null ? `${Math.round(r.per_s).toLocaleString('en-US')}/s` : `${String(r.extra.ms_per_cycle)} ms/cycle`;
      process.stderr.write(`  ${id} run ${i + 1}/${opts.runs}: ${shown}, ${r.wall_s.toFixed(3)} s, peak RSS ${r.peak_rss_mib.toFixed(1)} MiB\n`);
    }
  } finally {
    stopServers();
  }
  const summaries = ids.map((id) => summarize(id, runsById.get(id)!));
  const by = new Map(summaries.map((s) => [s.scenario, s]));
  process.stdout.write(`\n${renderTable(summaries)}\n\n`);
  const lines = summaries.map((s) => jsonLine(s, by));
  process.stdout.write(lines.join('\n') + '\n');
  if (opts.out) appendFileSync(opts.out, lines.join('\n') + '\n');
  process.stderr.write(`minions bench: done in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error)?.message ?? String(e)}\n`);
  process.exitCode = 1;
});
