import type { Placement, RunResult } from './run';
import type { RouteTotals } from './tally-book';

/** The summary printed at the end (`--json`: this object on one line). */
export interface Summary extends RouteTotals {
  isolation: Placement;
  crashesSurvived: number;
  callsRetried: number;
  seconds: number;
  flightsPerSecond: number;
  /** Event-loop delay of the Gru's thread during the run, ms. */
  loopDelayMs: { p50: number; p99: number; max: number };
}

/** The summary of a run: the totals, the crashes, the throughput and the event-loop delay. */
export function buildSummary(isolation: Placement, r: RunResult): Summary {
  return {
    isolation,
    ...r.totals,
    crashesSurvived: r.crashesSurvived,
    callsRetried: r.callsRetried,
    seconds: Math.round(r.seconds * 1000) / 1000,
    flightsPerSecond: r.seconds > 0 ? Math.round(r.totals.flights / r.seconds) : 0,
    loopDelayMs: r.loopDelay,
  };
}

/** The summary as the lines printed without `--json`. */
export function formatSummary(s: Summary): string {
  const km = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 3 });
  return [
    `route-stats (--isolation ${s.isolation}): ${s.flights} flights in ${s.seconds.toFixed(2)} s (${s.flightsPerSecond} flights/s)`,
    `  total great-circle distance  ${km(s.totalKm)} km`,
    `  longest route                ${s.longest.route} (${km(s.longest.km)} km)`,
    `  busiest corridor airport     ${s.busiestCorridorAirport.code} (on ${s.busiestCorridorAirport.routes} routes)`,
    `  checksum                     ${s.checksum}${s.unknownAirports ? ` (${s.unknownAirports} flights with an unknown airport)` : ''}`,
    `  host crashes survived        ${s.crashesSurvived} (${s.callsRetried} calls retried)`,
    `  event-loop delay (Gru)       p50 ${s.loopDelayMs.p50} ms, p99 ${s.loopDelayMs.p99} ms, max ${s.loopDelayMs.max} ms`,
  ].join('\n');
}
