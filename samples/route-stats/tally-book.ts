/** The deterministic result of a run: the same flights give the same numbers, whatever the placement. */
export interface RouteTotals {
  /** Flights tallied. */
  flights: number;
  /** Sum of the great-circle distances, km (summed in whole metres, so order does not matter). */
  totalKm: number;
  /** The longest route, `ORIGIN-DESTINATION`, and its length in km. */
  longest: { route: string; km: number };
  /** The airport that appears in the most route corridors (ties: the lowest code). */
  busiestCorridorAirport: { code: string; routes: number };
  /** Sum of the flights' fingerprints modulo 2^32, as 8 hex digits. */
  checksum: string;
  /** Flights with an airport missing from `airports.csv` (tallied with 0 km). */
  unknownAirports: number;
}

/** One flight's result, as the `record` step writes it. */
export interface FlightResult { route: string; meters: number; corridor: string[]; fingerprint: number; unknown: boolean }

/**
 * Each flight's result, keyed by flight index: a step that runs again (after a retry) replaces
 * its flight's entry instead of counting it twice.
 */
export class TallyBook {
  private readonly results = new Map<number, FlightResult>();
  private crashedCalls = 0;

  /** Counts a call that failed because its host crashed (the step then runs again). */
  countCrashedCall(): void {
    this.crashedCalls++;
  }

  /** Calls that failed because their host crashed, and were retried. */
  get callsLostToCrashes(): number {
    return this.crashedCalls;
  }

  /** Records flight `index`'s result (idempotent). */
  record(index: number, result: FlightResult): void {
    this.results.set(index, result);
  }

  /** The totals over every recorded flight. */
  totals(): RouteTotals {
    let meters = 0;
    let checksum = 0;
    let unknownAirports = 0;
    let longest = { route: '', meters: -1 };
    const corridorCounts = new Map<string, number>();
    for (const r of this.results.values()) {
      meters += r.meters;
      checksum = (checksum + r.fingerprint) >>> 0;
      if (r.unknown) unknownAirports++;
      if (r.meters > longest.meters || (r.meters === longest.meters && r.route < longest.route)) longest = { route: r.route, meters: r.meters };
      for (const code of new Set(r.corridor)) corridorCounts.set(code, (corridorCounts.get(code) ?? 0) + 1);
    }
    let busiest = { code: '', routes: 0 };
    for (const [code, routes] of corridorCounts) {
      if (routes > busiest.routes || (routes === busiest.routes && code < busiest.code)) busiest = { code, routes };
    }
    return {
      flights: this.results.size,
      totalKm: meters / 1000,
      longest: { route: longest.route, km: Math.max(0, longest.meters) / 1000 },
      busiestCorridorAirport: busiest,
      checksum: checksum.toString(16).padStart(8, '0'),
      unknownAirports,
    };
  }
}
