import { integerParam } from './state-url';

/** The JetStream stream that `--source nats://...` reads the flights from. */
export interface NatsTarget {
  /** The server, `nats://host:port` (without the sample's parameters). */
  servers: string;
  /** The stream (`?stream=`, default `FLIGHTS`); its subjects are `<stream>.>`. */
  stream: string;
  /** The durable consumer every worker shares (`?consumer=`, default `flight-delays`). */
  consumer: string;
  /** Ack wait of the consumer when a worker creates it (`?ack_wait_ms=`, default 10,000): a killed worker's flights come back after it. */
  ackWaitMs: number;
  /** The URL as given, for messages. */
  display: string;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Parses a `--source` value: `nats://host:port`, with the sample's parameters `stream`,
 * `consumer` and `ack_wait_ms`.
 * @throws Error saying what is wrong with it (the caller names the flag).
 */
export function parseSourceUrl(value: string): NatsTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('Expected a URL nats://host:port.');
  }
  if (url.protocol !== 'nats:') throw new Error(`Expected a nats:// URL (the default source, the --input file, needs no --source), got ${url.protocol}//.`);
  if (url.hostname === '') throw new Error('Expected a host: nats://host:port.');
  const known = new Set(['stream', 'consumer', 'ack_wait_ms']);
  for (const key of url.searchParams.keys()) if (!known.has(key)) throw new Error(`unknown parameter ${key} (known: ${[...known].join(', ')}).`);
  const stream = url.searchParams.get('stream') ?? 'FLIGHTS';
  const consumer = url.searchParams.get('consumer') ?? 'flight-delays';
  for (const [key, name] of [['stream', stream], ['consumer', consumer]]) {
    if (!NAME.test(name)) throw new Error(`${key}=${name}: expected letters, digits, _ and - (at most 64).`);
  }
  const ackWaitMs = integerParam(url, 'ack_wait_ms', 10_000, 1000);
  return { servers: `nats://${url.host}`, stream, consumer, ackWaitMs, display: value };
}
