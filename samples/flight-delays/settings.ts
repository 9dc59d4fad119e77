import { ContainerModule } from 'minions';
import type { FlightInput } from './input';
import { RunStats } from './run-stats';

/**
 * What one run of the sample works on, bound in the runtime's container so the feed and the
 * resources receive it by constructor type.
 */
export class SampleSettings {
  /** Live counters of this run. */
  readonly stats = new RunStats();

  constructor(
    /** Directory of `alerts.db`, `minions.db` and `logs/`. */
    readonly dataDir: string,
    /** The validated flights. */
    readonly input: FlightInput,
    /** `airports.csv` to load. */
    readonly airportsPath: string,
    /** Alert threshold, minutes (also the minion's config). */
    readonly threshold: number,
  ) {}

  /** An Inversify module binding these settings (pass it in `GruOptions.modules`). */
  module(): ContainerModule {
    return new ContainerModule(({ bind }) => {
      bind(SampleSettings).toConstantValue(this);
    });
  }
}
