import { Pipeline, pipeline } from 'minions';
import { Flight } from './flight';
import { RouteSettings } from './settings';

/** Emits each flight of the input as a `Flight` event carrying its index; ends with the input. */
@pipeline({ event: Flight, id: '630e9286-da25-4c4e-9744-8018b5262f12' })
export class FlightFeed extends Pipeline<Flight> {
  constructor(private readonly settings: RouteSettings) {
    super();
  }

  override async *events(): AsyncGenerator<Flight> {
    for (const [index, f] of this.settings.flights.entries()) {
      yield Object.assign(new Flight(), { index, origin: f.origin, destination: f.destination });
    }
  }
}
