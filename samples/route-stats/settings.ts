import { readFileSync } from 'node:fs';
import { ContainerModule } from 'minions';
import { FINGERPRINT_OPTIONS, type FingerprintOptions } from './native-fingerprint';
import { TallyBook } from './tally-book';

/** A flight as the sample reads it from `flights-20k.json`. */
export interface FlightRecord {
  origin: string;
  destination: string;
}

/**
 * Reads the first `limit` flights of a flights file (a JSON array of records with `origin` and
 * `destination`). @throws Error naming the file and the record when one lacks them.
 */
export function readFlights(file: string, limit?: number): FlightRecord[] {
  const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(data)) throw new Error(`${file} must hold a JSON array of flights.`);
  return data.slice(0, limit ?? data.length).map((r: unknown, i) => {
    const { origin, destination } = (r ?? {}) as Record<string, unknown>;
    if (typeof origin !== 'string' || typeof destination !== 'string') throw new Error(`${file} record ${i}: "origin" and "destination" must be strings.`);
    return { origin, destination };
  });
}

/** What one run works on, bound in the runtime's container. */
export class RouteSettings {
  /** Where the workflows' results are collected. */
  readonly book = new TallyBook();

  constructor(
    /** The flights, in input order (a flight's index is its position). */
    readonly flights: FlightRecord[],
    /** Plain data for the fingerprint resource (it crosses to its child process). */
    readonly fingerprint: FingerprintOptions,
  ) {}

  /** An Inversify module binding the settings and the fingerprint's options (for `GruOptions.modules`). */
  module(): ContainerModule {
    return new ContainerModule(({ bind }) => {
      bind(RouteSettings).toConstantValue(this);
      bind(FINGERPRINT_OPTIONS).toConstantValue({ ...this.fingerprint });
    });
  }
}
