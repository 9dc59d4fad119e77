import { cpus } from 'node:os';

/** A scenario's result over its runs: medians of each figure, and every run's throughput. */
export interface Summary {
  scenario: string;
  title: string;
  n: number;
  wall_s: number;
  per_s: number | null;
  peak_rss_mib: number;
  extra: Record<string, unknown>;
  runs: number;
}

/** The Python original on this machine kind (the issue's figures: median of 3). */
export const PYTHON: Record<string, { perSecond?: number; msPerCycle?: number; rssMiB?: number }> = {
  S1: { perSecond: 2509 },
  'S1-prom': { perSecond: 1716 },
  S2: { perSecond: 870, rssMiB: 234 },
  S3: { perSecond: 2340 },
  S4: { perSecond: 1588 },
  S5: { msPerCycle: 2.87 },
};

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The machine a run was made on. */
export function machine(): { cpu: string; cores: number; node: string; platform: string } {
  const list = cpus();
  return { cpu: list[0]?.model?.trim() ?? 'unknown', cores: list.length, node: process.version, platform: `${process.platform}-${process.arch}` };
}

interface Check {
  text: string;
  met: boolean;
}

/** The issue's targets, checked against a full set of summaries (a missing scenario is skipped). */
export function checkTargets(by: Map<string, Summary>): Map<string, Check[]> {
  const out = new Map<string, Check[]>();
  const add = (id: string, text: string, met: boolean): void => {
    if (!out.has(id)) out.set(id, []);
    out.get(id)!.push({ text, met });
  };
  const s1 = by.get('S1');
  const s1p = by.get('S1-prom');
  const s2 = by.get('S2');
  const s2l = by.get('S2-200k');
  const f2 = by.get('F2');
  if (s1?.per_s != null) add('S1', '>= 50,000/s', s1.per_s >= 50_000);
  if (s1?.per_s != null && s1p?.per_s != null) add('S1-prom', '>= S1 / 2', s1p.per_s >= s1.per_s / 2);
  if (s2?.per_s != null) {
    add('S2', '>= 20,000/s', s2.per_s >= 20_000);
    add('S2', 'RSS <= 150', s2.peak_rss_mib <= 150);
  }
  if (s2?.per_s != null && f2?.per_s != null) add('S2', '>= F2 / 2', s2.per_s >= f2.per_s / 2);
  if (s2l) {
    add('S2-200k', 'RSS <= 150', s2l.peak_rss_mib <= 150);
    if (s2) add('S2-200k', 'RSS ~ S2 (+-10 %)', Math.abs(s2l.peak_rss_mib - s2.peak_rss_mib) <= 0.1 * s2.peak_rss_mib);
  }
  const s3 = by.get('S3');
  if (s3?.per_s != null) add('S3', '>= 50,000/s', s3.per_s >= 50_000);
  const s4 = by.get('S4');
  if (s4?.per_s != null) add('S4', '>= 20,000/s', s4.per_s >= 20_000);
  const s7 = by.get('S7');
  if (s7?.per_s != null && s2?.per_s != null) add('S7', '>= S2 / 2', s7.per_s >= s2.per_s / 2);
  const s5 = by.get('S5');
  if (s5) {
    add('S5', '<= 1 ms/cycle', Number(s5.extra.ms_per_cycle) <= 1);
    add('S5', 'RSS growth <= 2 MiB', Number(s5.extra.rss_growth_mib) <= 2);
  }
  return out;
}

const int = (v: number): string => Math.round(v).toLocaleString('en-US');

/** The readable table: one row per scenario. */
export function renderTable(summaries: Summary[]): string {
  const by = new Map(summaries.map((s) => [s.scenario, s]));
  const checks = checkTargets(by);
  const f1 = by.get('F1')?.per_s ?? null;
  const f2 = by.get('F2')?.per_s ?? null;
  const rows: string[][] = [['scenario', 'n', 'per second', 'wall s', 'peak RSS MiB', 'vs floor', 'Python', 'x Python', 'targets']];
  for (const s of summaries) {
    const py = PYTHON[s.scenario];
    let rate = s.per_s === null ? '' : int(s.per_s);
    let pyText = py?.perSecond ? int(py.perSecond) : '';
    let times = py?.perSecond && s.per_s ? `${(s.per_s / py.perSecond).toFixed(1)}x` : '';
    if (s.scenario === 'S5') {
      rate = `${Number(s.extra.ms_per_cycle).toFixed(3)} ms/cycle, +${Number(s.extra.rss_growth_mib).toFixed(2)} MiB`;
      pyText = py?.msPerCycle ? `${py.msPerCycle} ms/cycle` : '';
      times = py?.msPerCycle ? `${(py.msPerCycle / Number(s.extra.ms_per_cycle)).toFixed(1)}x` : '';
    }
    let floor = '';
    if (s.per_s !== null && ['S1', 'S1-prom', 'S3'].includes(s.scenario) && f1) floor = `${(s.per_s / f1).toFixed(3)} F1`;
    if (s.per_s !== null && s.scenario.startsWith('S2') && f2) floor = `${(s.per_s / f2).toFixed(3)} F2`;
    const s2Rate = by.get('S2')?.per_s ?? null;
    if (s.per_s !== null && s.scenario === 'S7' && s2Rate) floor = `${(s.per_s / s2Rate).toFixed(3)} S2`;
    if (s.scenario === 'S2' && py?.rssMiB) pyText += ` (${py.rssMiB} MiB)`;
    const targetText = (checks.get(s.scenario) ?? []).map((c) => `${c.met ? 'met' : 'MISSED'} ${c.text}`).join('; ');
    rows.push([s.scenario, int(s.n), rate, s.wall_s.toFixed(3), s.peak_rss_mib.toFixed(1), floor, pyText, times, targetText]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]): string => `| ${r.map((cell, c) => (c >= 1 && c <= 5 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join(' | ')} |`;
  const sep = `|${widths.map((w, c) => (c >= 1 && c <= 5 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(rows[0]), sep, ...rows.slice(1).map(line)].join('\n');
}
