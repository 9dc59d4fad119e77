import { Pipeline, pipeline } from 'minions';
import { AlertLog } from './alert-log';
import { Flight } from './flight';
import { IndexSet } from './index-set';
import { SampleSettings } from './settings';

/**
 * The pipeline: emits each flight of the input as a `Flight` event carrying its index, reading
 * the input as it goes.
 * A finite async generator: the feed ends when the input is exhausted, and the runtime pulls
 * it only while the minion's buffer has room (backpressure).
 *
 * Where it stopped: at startup it asks the alert log which flights already have a final
 * verdict (`alert` or `below`) and skips them. Flights whose workflows were checkpointed but
 * unfinished are resumed by the runtime itself; flights that were pulled but never checkpointed
 * have no verdict, so they are emitted again (see README.md).
 */
@pipeline({ event: Flight, id: 'c2643bb5-5773-4987-a72a-a9914895b3a6' })
export class FlightFeed extends Pipeline<Flight> {
  private decided = new IndexSet();

  constructor(private readonly settings: SampleSettings, private readonly alerts: AlertLog) {
    super();
  }

  override async startup(): Promise<void> {
    this.decided = await this.alerts.decidedIndices();
    this.settings.stats.alreadyDone = this.decided.size;
  }

  override async *events(): AsyncGenerator<Flight> {
    const stats = this.settings.stats;
    let index = 0;
    // The input is streamed (a Parquet file row group by row group): nothing holds every flight.
    for await (const record of this.settings.input.records()) {
      if (!this.decided.has(index)) {
        stats.emitted++;
        yield Object.assign(new Flight(), record, { index });
      }
      index++;
    }
  }
}
