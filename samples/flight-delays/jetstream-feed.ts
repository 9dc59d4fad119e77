import type { JsMsg } from 'nats';
import { JetStreamPipeline, pipeline } from 'minions';
import { Flight } from './flight';
import { SampleSettings } from './settings';

/**
 * The pipeline of `--source nats://...`: the flights of a JetStream stream (loaded by the
 * publisher, one message per flight, its index included), through a durable consumer that every
 * worker process shares, so each flight goes to one of them. Endless: a worker runs until it is
 * stopped. A flight is acknowledged once its workflow has ended; a killed worker's flights come
 * back after the ack wait to a live worker, which resumes them from their checkpoints.
 */
@pipeline({ event: Flight, id: '0b7f3c52-5d0e-4c59-9f1f-2f6a8e4d7c31' })
export class JetStreamFlightFeed extends JetStreamPipeline<Flight> {
  private readonly settings: SampleSettings;

  constructor(settings: SampleSettings) {
    const source = settings.backends.source;
    if (!source) throw new Error('JetStreamFlightFeed needs --source nats://...');
    super({
      servers: source.servers, stream: source.stream, consumer: source.consumer, ackWaitMs: source.ackWaitMs,
      // Room for several workers at the runtime's defaults (1,000 in flight + 1,024 buffered each).
      maxAckPending: 10_000,
      // A flight handed back (its owner not yet known to be gone) comes again soon.
      retryDelayMs: 1000,
    });
    this.settings = settings;
  }

  /** @throws Error naming the field when the payload is not a flight (the message is then terminated). */
  protected decode(msg: JsMsg): Flight {
    const flight = Object.assign(new Flight(), msg.json<Flight>());
    if (!Number.isSafeInteger(flight.index) || flight.index < 0) throw new Error(`field "index" must be a non-negative integer, got ${JSON.stringify(flight.index)}`);
    this.settings.stats.emitted++;
    return flight;
  }
}
