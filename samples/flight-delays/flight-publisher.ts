import { connect, type NatsConnection } from 'nats';
import { publishToJetStream } from 'minions';
import type { FlightInput } from './input';
import type { NatsTarget } from './source-url';

/** The stream of `--source` cannot be loaded: it holds another input's flights, or the server cannot be used. */
export class PublishError extends Error {
  override readonly name = 'PublishError';
}

/** What {@link publishFlights} did. */
export interface Published {
  /** Flights published now. */
  published: number;
  /** Flights the stream already held (an earlier load). */
  alreadyInStream: number;
}

/**
 * Loads the input's flights into the stream of `--source`, one message per flight (its index
 * included), creating the stream when missing. Idempotent: the stream's description names the
 * input's digest, and a load that finds flights there goes on after the last one stored, so
 * running it twice (or after an interrupted load) publishes each flight once. A later load with
 * a larger `--limit` adds the flights beyond the stored ones.
 * @throws PublishError naming the server and the stream.
 */
export async function publishFlights(source: NatsTarget, input: FlightInput): Promise<Published> {
  const where = `JetStream ${source.servers} stream ${source.stream}`;
  const description = `flight-delays: flights of input ${input.digest}`;
  let nc: NatsConnection;
  try {
    nc = await connect({ servers: source.servers, name: 'flight-delays publisher' });
  } catch (e) {
    throw new PublishError(`${where}: cannot connect (${(e as Error).message}). Check that nats-server -js runs there.`, { cause: e });
  }
  let next: number;
  try {
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.info(source.stream).catch(() => undefined);
    if (!info) {
      await jsm.streams.add({ name: source.stream, subjects: [`${source.stream}.>`], description });
      next = 0;
    } else if (info.state.messages === 0 && info.config.description === undefined) {
      // Made empty by a worker started before any load: adopted.
      await jsm.streams.update(source.stream, { ...info.config, description });
      next = 0;
    } else if (info.config.description !== description) {
      throw new PublishError(`${where} holds other messages (${info.config.description ?? 'no description'}): ` +
        'name another stream (?stream= in --source), or delete this one to start over.');
    } else {
      next = info.state.messages === 0 ? 0 : lastIndex(await jsm.streams.getMessage(source.stream, { seq: info.state.last_seq })) + 1;
    }
  } catch (e) {
    await nc.close();
    if (e instanceof PublishError) throw e;
    throw new PublishError(`${where}: ${(e as Error).message}. Check that the server runs with JetStream (nats-server -js).`, { cause: e });
  }
  await nc.close();
  const alreadyInStream = Math.min(next, input.count);
  if (next >= input.count) return { published: 0, alreadyInStream };
  await publishToJetStream({ servers: source.servers, stream: source.stream, subject: `${source.stream}.flights` }, flightsFrom(input, next));
  return { published: input.count - next, alreadyInStream };
}

/** The flight index a stored message carries. */
function lastIndex(msg: { json<T>(): T }): number {
  return msg.json<{ index: number }>().index;
}

/** The input's flights from index `first` on, with their index (the message payload). */
async function* flightsFrom(input: FlightInput, first: number): AsyncGenerator<object> {
  let index = 0;
  for await (const record of input.records()) {
    if (index >= first) yield { ...record, index };
    index++;
  }
}
