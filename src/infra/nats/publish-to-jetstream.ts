import type { ConnectionOptions, PubAck } from 'nats';
import { InvalidOptionError } from '../../core/errors';
import { jetStreamFailure } from './jetstream-failure';
import { loadNats } from './load-nats';

/** Options of {@link publishToJetStream}. */
export interface PublishToJetStreamOptions {
  /** NATS server URL(s). */
  servers: string | string[];
  /** The stream; created (limits retention, file storage) when missing. */
  stream: string;
  /** Subject of every message, within the stream's subjects. Default `'<stream>.events'`. */
  subject?: string;
  /** Subjects of the stream when it is created. Default `['<stream>.>']`. */
  subjects?: string[];
  /** Publishes awaiting the server's ack at once (default 256): bounds memory while loading. */
  window?: number;
  /** Other options of the `nats` client's `connect()`. */
  connection?: Omit<ConnectionOptions, 'servers'>;
}

/**
 * Loads a stream: publishes each payload (bytes, a string, or any other value as JSON) as one
 * message and waits for the server to store it, `window` at a time; creates the stream when it
 * is missing. Returns the stream sequence of the last message stored (0 for none). A tool for
 * samples, benchmarks and tests that feed a {@link JetStreamPipeline}.
 * @throws JetStreamError naming server and stream (consumer `-`) when the server cannot be used.
 */
export async function publishToJetStream(options: PublishToJetStreamOptions, payloads: Iterable<unknown> | AsyncIterable<unknown>): Promise<number> {
  const servers = Array.isArray(options.servers) ? options.servers : [options.servers];
  const where = { servers: servers.join(','), stream: options.stream, consumer: '-' };
  const window = options.window ?? 256;
  if (!Number.isInteger(window) || window < 1) throw new InvalidOptionError('PublishToJetStreamOptions.window', options.window, 'an integer >= 1');
  const nats = loadNats(where);
  const subject = options.subject ?? `${options.stream}.events`;
  let nc;
  try {
    nc = await nats.connect({ ...options.connection, servers });
  } catch (error) {
    throw jetStreamFailure(where, 'connect', error);
  }
  try {
    const jsm = await nc.jetstreamManager().catch((e: unknown) => { throw jetStreamFailure(where, 'jetstream', e); });
    try {
      await jsm.streams.info(options.stream);
    } catch {
      await jsm.streams.add({
        name: options.stream, subjects: options.subjects ?? [`${options.stream}.>`],
        retention: nats.RetentionPolicy.Limits, storage: nats.StorageType.File,
      }).catch((e: unknown) => { throw jetStreamFailure(where, 'stream', e); });
    }
    const js = nc.jetstream();
    const codec = new TextEncoder();
    const pending = new Set<Promise<PubAck>>();
    let last = 0;
    for await (const payload of payloads as AsyncIterable<unknown>) {
      const data = payload instanceof Uint8Array ? payload : codec.encode(typeof payload === 'string' ? payload : JSON.stringify(payload));
      const ack = js.publish(subject, data);
      pending.add(ack);
      void ack.then((a) => { last = Math.max(last, a.seq); }, () => {}).finally(() => pending.delete(ack));
      if (pending.size >= window) await Promise.race(pending);
    }
    await Promise.all(pending);
    return last;
  } finally {
    await nc.drain().catch(() => {});
  }
}
