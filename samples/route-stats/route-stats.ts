import { IsolatedResourceCrashedError, Minion, minion, step } from 'minions';
import { Flight, RouteContext } from './flight';
import { ChildNativeFingerprint, InProcessNativeFingerprint, type NativeFingerprint } from './native-fingerprint';
import { ChildRouteCalculator, InProcessRouteCalculator, WorkerRouteCalculator, type RouteCalculator } from './route-calculator';
import { RouteTally } from './route-tally';

/**
 * One workflow per flight: `measure` (the heavy route search), `fingerprint` (the crash-prone
 * "native" call, retried), `record`. The steps live here; the three subclasses below only pick
 * where the resources run, through the types their constructors ask for.
 */
export abstract class RouteStats extends Minion<Flight, RouteContext> {
  protected abstract readonly calculator: RouteCalculator;
  protected abstract readonly native: NativeFingerprint;
  protected abstract readonly tally: RouteTally;

  @step async measure(): Promise<void> {
    const { meters, corridor, unknown } = await this.calculator.measure(this.event.origin, this.event.destination);
    Object.assign(this.context, { meters, corridor, unknown });
  }

  /**
   * A crash of the fingerprint's host rejects every call in flight with the retryable
   * `IsolatedResourceCrashedError`; the retry waits for the new host and gets the exact result.
   */
  @step({ retry: { attempts: 3, delayMs: 100 } })
  async fingerprint(): Promise<void> {
    const { index, origin, destination } = this.event;
    const { meters, corridor } = this.context;
    try {
      this.context.fingerprint = await this.native.fingerprint(index, `${origin}-${destination}:${meters}:${corridor.join(',')}`);
    } catch (e) {
      if (e instanceof IsolatedResourceCrashedError) await this.tally.countCrashedCall();
      throw e;
    }
  }

  @step async record(): Promise<void> {
    const { index, origin, destination } = this.event;
    const { meters, corridor, fingerprint, unknown } = this.context;
    await this.tally.record(index, { route: `${origin}-${destination}`, meters, corridor, fingerprint, unknown: unknown.length > 0 });
  }
}

/** `--isolation none`: everything in the Gru's thread. */
@minion({ event: Flight, context: RouteContext, id: 'c0e497f9-d391-4547-b01c-5977bddce1c0' })
export class RouteStatsInProcess extends RouteStats {
  constructor(protected readonly calculator: InProcessRouteCalculator, protected readonly native: InProcessNativeFingerprint, protected readonly tally: RouteTally) {
    super();
  }
}

/** `--isolation worker`: the calculator in a worker thread, the fingerprint in a child process. */
@minion({ event: Flight, context: RouteContext, id: '3cffb351-2074-49c4-8bfb-5e1980e86794' })
export class RouteStatsInWorker extends RouteStats {
  constructor(protected readonly calculator: WorkerRouteCalculator, protected readonly native: ChildNativeFingerprint, protected readonly tally: RouteTally) {
    super();
  }
}

/** `--isolation process`: the calculator and the fingerprint each in a child process. */
@minion({ event: Flight, context: RouteContext, id: 'aaddf4cd-115a-42c1-b7b4-74fffad8bb06' })
export class RouteStatsInChild extends RouteStats {
  constructor(protected readonly calculator: ChildRouteCalculator, protected readonly native: ChildNativeFingerprint, protected readonly tally: RouteTally) {
    super();
  }
}
