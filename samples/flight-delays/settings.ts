import { ContainerModule } from 'minions';
import { AlertsStore } from './alerts-store';
import type { FlightInput } from './input';
import { PostgresAlertsStore } from './postgres-alerts-store';
import { RunStats } from './run-stats';
import type { NatsTarget } from './source-url';
import { SqliteAlertsStore } from './sqlite-alerts-store';
import type { PostgresTarget } from './state-url';

/** Where the state and the events come from, when not the defaults (SQLite in the data directory, the input file). */
export interface Backends {
  /** `--state postgres://...`: checkpoints and the sample's tables in this PostgreSQL schema. */
  state?: PostgresTarget;
  /** `--source nats://...`: flights from this JetStream stream, loaded by the publisher. */
  source?: NatsTarget;
}

/**
 * What one run of the sample works on, bound in the runtime's container so the feed and the
 * resources receive it by constructor type.
 */
export class SampleSettings {
  /** Live counters of this run. */
  readonly stats = new RunStats();
  /** Where the sample's tables are: `alerts.db` in the data directory, or the PostgreSQL schema of `backends.state`. */
  readonly alertsStore: AlertsStore;

  constructor(
    /** Directory of `logs/` and `admin.token`; with the default state also `alerts.db` and `minions.db`. */
    readonly dataDir: string,
    /** The validated flights. */
    readonly input: FlightInput,
    /** `airports.csv` to load. */
    readonly airportsPath: string,
    /** Alert threshold, minutes (also the minion's config). */
    readonly threshold: number,
    /** PostgreSQL state and JetStream source, when given. */
    readonly backends: Backends = {},
  ) {
    this.alertsStore = backends.state ? new PostgresAlertsStore(backends.state) : new SqliteAlertsStore(dataDir);
  }

  /** An Inversify module binding these settings and the chosen {@link AlertsStore} (pass it in `GruOptions.modules`). */
  module(): ContainerModule {
    return new ContainerModule(({ bind }) => {
      bind(SampleSettings).toConstantValue(this);
      bind(AlertsStore).toConstantValue(this.alertsStore);
    });
  }
}
