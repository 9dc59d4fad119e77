import { AbortWorkflow, Minion, isDiskFull, minion, step } from 'minions';
import { AirportDirectory } from './airport-directory';
import { AlertLog } from './alert-log';
import { Flight } from './flight';

/** Config of {@link DelayAlert}. */
export class DelayAlertConfig {
  /** A flight delayed by at least this many minutes raises an alert. */
  threshold = 60;
}

/** Per-workflow state of {@link DelayAlert}, checkpointed before every step. */
export class DelayContext {
  /** Name of the origin airport; `''` when its code is unknown. */
  originName = '';
  /** Name of the destination airport; `''` when its code is unknown. */
  destinationName = '';
  /** Codes of this flight missing from the airport directory (recorded, not fatal). */
  unknownAirports: string[] = [];
}

/**
 * One workflow per flight: `enrich` (airport names into the context), `assess` (abort under the
 * threshold, after recording the `below` verdict), `record` (insert the alert). Every write is
 * idempotent, since a step may run again after a crash (steps are at-least-once).
 */
@minion({ event: Flight, context: DelayContext, config: DelayAlertConfig, id: '26a01ada-b93a-4189-b21a-ce5bdf65bd28' })
export class DelayAlert extends Minion<Flight, DelayContext, DelayAlertConfig> {
  constructor(private readonly airports: AirportDirectory, private readonly alerts: AlertLog) {
    super();
  }

  @step async enrich(): Promise<void> {
    const { origin, destination } = this.event;
    const from = this.airports.lookup(origin);
    const to = this.airports.lookup(destination);
    this.context.originName = from?.name ?? '';
    this.context.destinationName = to?.name ?? '';
    const unknown = new Set<string>();
    if (!from) unknown.add(origin);
    if (!to) unknown.add(destination);
    this.context.unknownAirports = [...unknown];
  }

  @step async assess(): Promise<void> {
    const { delay, index } = this.event;
    const { threshold } = this.config;
    if (delay >= threshold) return;
    await this.recordingFailure(() => this.alerts.recordBelow(index));
    throw new AbortWorkflow(`delay ${delay} min is under the threshold of ${threshold} min`);
  }

  @step async record(): Promise<void> {
    const { originName, destinationName } = this.context;
    await this.recordingFailure(() => this.alerts.recordAlert(this.event, originName || null, destinationName || null));
  }

  /**
   * Runs a write; if it fails (and the workflow is not being interrupted by a stop), records the
   * `failed` verdict on a best-effort basis, then rethrows so the runtime reports the failure.
   */
  private async recordingFailure(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (e) {
      // A full disk is waited out by the runtime (the step runs again), so it is not a failed verdict.
      if (!this.signal.aborted && !isDiskFull(e)) await this.alerts.recordFailed(this.event.index).catch(() => undefined);
      throw e;
    }
  }
}
