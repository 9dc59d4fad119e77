import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gru } from 'minions';
import { CrashCountingLogger } from './crash-counting-logger';
import { FlightFeed } from './feed';
import { RouteStatsInChild, RouteStatsInProcess, RouteStatsInWorker } from './route-stats';
import type { RouteSettings } from './settings';
import type { RouteTotals } from './tally-book';

/** Where the CPU-heavy resource runs. */
export type Placement = 'none' | 'worker' | 'process';

/** The minion whose constructor asks for the resources of each placement. */
const MINIONS: Record<Placement, typeof RouteStatsInProcess | typeof RouteStatsInWorker | typeof RouteStatsInChild> = { none: RouteStatsInProcess, worker: RouteStatsInWorker, process: RouteStatsInChild };

/** The Gru's event-loop delay while the flights were processed, milliseconds. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/** What a run did. */
export interface RunResult {
  totals: RouteTotals;
  /** Hosts of isolated resources that died (SIGSEGV) and were restarted. */
  crashesSurvived: number;
  /** Calls that failed because their host died, then ran again (a step retry). */
  callsRetried: number;
  /** From the orchestration's start (hosts started included) to its last workflow's end, seconds. */
  seconds: number;
  loopDelay: LoopDelay;
}

/**
 * Runs the route-stats minion over the settings' flights with the CPU-heavy resource placed as
 * `placement`, measuring the event-loop delay of this (the Gru's) thread meanwhile, then shuts down.
 */
export async function runRouteStats(settings: RouteSettings, placement: Placement): Promise<RunResult> {
  const logger = new CrashCountingLogger();
  const gru = await Gru.create({ stateStore: null, logger, metrics: null, admin: false, modules: [settings.module()] });
  // Its timer runs every 10 ms and records the time between two runs: an idle loop shows about
  // 10 ms, a loop held 40 ms by a call about 40-50 ms.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let seconds = 0;
  try {
    // The monitor records from its second timer turn on (the first only notes the time), so it
    // starts one turn ahead: a loop held from the very start would otherwise show no delay at all.
    delay.enable();
    await new Promise((resolve) => setTimeout(resolve, 15));
    const t0 = performance.now();
    const started = await gru.startOrchestration({ pipeline: FlightFeed, minion: MINIONS[placement] });
    await gru.whenIdle(started.orchestrationId);
    seconds = (performance.now() - t0) / 1000;
    // A loop held until now has not yet run the monitor's timer: one timer turn lets it record
    // that last delay (in process, often the whole run, chained through promise callbacks).
    await new Promise((resolve) => setTimeout(resolve, 1));
    delay.disable();
  } finally {
    delay.disable();
    await gru.shutdown();
  }
  const ms = (ns: number): number => Math.round(ns / 1e4) / 100;
  return {
    totals: settings.book.totals(),
    crashesSurvived: logger.crashes,
    callsRetried: settings.book.callsLostToCrashes,
    seconds,
    loopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
  };
}
