import type { RunResult } from './run';

/** The end-of-run report; also the `--json` object. */
export interface Summary {
  /** Flights processed over every run on this data directory (flights with a verdict). */
  flights: number;
  alerts: number;
  /** Workflows aborted because the delay was under the threshold. */
  aborted: number;
  failed: number;
  /** Wall seconds of this run. */
  seconds: number;
  /** Flights in the input. */
  inputFlights: number;
  threshold: number;
  /** Flights this run processed, and its throughput. */
  processedThisRun: number;
  flightsPerSecond: number;
  /** Flights decided by earlier runs, skipped by the feed. */
  alreadyDone: number;
  /** Workflows resumed from checkpoints. */
  resumedWorkflows: number;
  /** Peak resident memory of this process so far, MiB (`process.resourceUsage().maxRSS`). */
  peakRssMb: number;
  /** True when every input flight has a verdict. */
  complete: boolean;
  /** True when SIGINT/SIGTERM stopped this run early. */
  interrupted: boolean;
  topOrigins: Array<{ iata: string; name: string | null; alerts: number }>;
}

/** Builds the summary of a run. */
export function buildSummary(result: RunResult, inputFlights: number, threshold: number): Summary {
  const { totals, stats } = result;
  const seconds = Math.round(result.seconds * 1000) / 1000;
  return {
    flights: totals.flights,
    alerts: totals.alerts,
    aborted: totals.below,
    failed: totals.failed,
    seconds,
    inputFlights,
    threshold,
    processedThisRun: stats.processed,
    flightsPerSecond: result.seconds > 0 ? Math.round(stats.processed / result.seconds) : 0,
    alreadyDone: stats.alreadyDone,
    resumedWorkflows: result.resumedWorkflows,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    complete: totals.flights === inputFlights && totals.failed === 0,
    interrupted: result.interrupted,
    topOrigins: totals.topOrigins,
  };
}

const n = (v: number): string => v.toLocaleString('en-US');

/** The summary as readable lines. */
export function formatSummary(s: Summary): string {
  const width = Math.max(...[s.flights, s.alerts, s.aborted, s.failed].map((v) => n(v).length));
  const row = (label: string, v: number, note = ''): string => `  ${label.padEnd(20)}${n(v).padStart(width)}${note ? `  ${note}` : ''}`;
  const lines = [
    `Flight delays${s.interrupted ? ' (interrupted: run again with the same --data-dir to resume)' : ''}`,
    row('flights processed', s.flights, `of ${n(s.inputFlights)} in the input`),
    row('alerts', s.alerts, `delay >= ${s.threshold} min`),
    row('aborted', s.aborted, 'under the threshold'),
    row('failed', s.failed, s.failed > 0 ? 'tried again on the next start' : ''),
    `  this run: ${n(s.processedThisRun)} flights in ${s.seconds.toFixed(1)} s (${n(s.flightsPerSecond)} flights/s), peak RSS ${n(s.peakRssMb)} MiB` +
      (s.alreadyDone > 0 || s.resumedWorkflows > 0 ? `; ${n(s.alreadyDone)} already done, ${n(s.resumedWorkflows)} workflows resumed` : ''),
  ];
  if (s.topOrigins.length > 0) {
    lines.push('Top origin airports by alerts:');
    s.topOrigins.forEach((o, i) => lines.push(`  ${i + 1}. ${o.iata.padEnd(4)} ${(o.name ?? '(unknown airport)').padEnd(40)} ${n(o.alerts).padStart(6)}`));
  }
  return lines.join('\n');
}
