import type { ConnectionOptions, Consumer, JetStreamClient, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { Pipeline } from '../../core/components/pipeline';
import { InvalidComponentError, InvalidOptionError, JetStreamError, type JetStreamProblem } from '../../core/errors';
import type { Delivery, RetryReason } from '../../core/fanout/delivery';
import { describeError, StderrReporter } from '../stderr-reporter';
import { jetStreamFailure } from './jetstream-failure';
import { loadNats } from './load-nats';

/** Options of {@link JetStreamPipeline}. Durations are milliseconds. */
export interface JetStreamPipelineOptions {
  /** NATS server URL(s), e.g. `'nats://127.0.0.1:4222'`. Required. */
  servers: string | string[];
  /** The stream to consume. Required. */
  stream: string;
  /** Name of the durable pull consumer every process of the deployment shares. Required. */
  consumer: string;
  /**
   * Create the stream and the consumer when they are missing (default `true`). With `false`, a
   * missing one fails `startup()` with `JetStreamError` (`no-stream`, `no-consumer`).
   */
  create?: boolean;
  /** Subjects of the stream when it is created. Default `['<stream>.>']`. */
  subjects?: string[];
  /** The consumer's subject filter when it is created. Default: every subject of the stream. */
  filterSubject?: string;
  /**
   * The consumer's ack wait when it is created (default 30,000; at least 1,000): a message not
   * acknowledged nor extended for this long is delivered again, to any process. The runtime
   * extends every message it holds each third of the consumer's actual ack wait.
   */
  ackWaitMs?: number;
  /**
   * The consumer's max deliver when it is created: deliveries of one message before the server
   * gives up on it. Default `-1` (no limit). Every retry (a delivery handed back while another
   * process owns its workflow, or at a stop) counts as one.
   */
  maxDeliver?: number;
  /**
   * The consumer's max ack pending when it is created: messages handed out and not acknowledged,
   * across all processes. Default 1,000 (the server's). Keep it at least the processes times
   * (`bufferSize` + `maxInFlight`) or some processes wait for others.
   */
  maxAckPending?: number;
  /** Messages fetched in one request at most (default 256); the subscribers' free room caps it too. */
  maxBatch?: number;
  /** How long one request waits for a message when the stream has none for this consumer (default 5,000; at least 1,000). */
  idleWaitMs?: number;
  /**
   * Delay before a message handed back is delivered again (default 5,000): its workflow is owned
   * by another live process, was interrupted by a stop, or its checkpoint cannot be read. A
   * message whose orchestration stopped before it started is handed back at once.
   */
  retryDelayMs?: number;
  /** Other options of the `nats` client's `connect()` (user, pass, token, authenticator, tls, name...). */
  connection?: Omit<ConnectionOptions, 'servers'>;
}

/** One message handed to the runtime and not yet acknowledged or handed back. */
interface InWork {
  /** The latest delivery of it: a redelivery while it is in work replaces it (acks must name the latest). */
  msg: JsMsg;
}

const NAME = /^[^\s.*>\\/]+$/;

/**
 * A {@link Pipeline} over a **durable pull consumer** of a NATS JetStream stream, which several
 * processes share: run the same orchestration in N processes with the same options and each
 * message goes to one of them. Subclass it, call `super(options)` in the constructor, and
 * implement {@link JetStreamPipeline.decode} to turn a message into the event:
 *
 * ```ts
 * @pipeline({ id: '…', event: Order })
 * class Orders extends JetStreamPipeline<Order> {
 *   constructor() { super({ servers: 'nats://127.0.0.1:4222', stream: 'ORDERS', consumer: 'billing' }); }
 *   protected decode(msg: JsMsg): Order { return Object.assign(new Order(), msg.json()); }
 * }
 * ```
 *
 * **Delivery.** A message is acknowledged only once its workflow has ended (its checkpoint deleted,
 * or kept as failed under `workflowFailurePolicy: 'keep'`) in every orchestration subscribed to the
 * pipeline. While the runtime holds it (buffered or running) the pipeline extends its ack deadline
 * (`working()`) every third of the consumer's ack wait. A process that dies leaves its messages
 * unacknowledged: after the ack wait the server delivers them to a live process, which resumes the
 * workflow from the shared checkpoint (the workflow id derives from the stream, the stream
 * sequence and the orchestration). Needs a shared store for that (`PostgresStateStore`); with
 * SQLite the same process resumes them after a restart. Steps run at least once.
 *
 * **Backpressure.** It fetches at most the room left in the subscribers' buffers (and
 * `maxBatch`): a process holds at most `bufferSize` + `maxInFlight` messages.
 *
 * **Setup.** `startup()` connects, creates the stream and the consumer if missing (`create`,
 * default on: limits retention, subjects `<stream>.>`, explicit acks), and checks an existing
 * consumer is a pull consumer with explicit acks (its own ack wait, max deliver and filter are
 * kept). `nats` (version 2) is loaded then, so importing minions never needs it: `npm install nats@2`.
 *
 * **Errors.** `JetStreamError` (`MINIONS_JETSTREAM`) naming server, stream and consumer, with a
 * `problem` (`driver-missing`, `unreachable`, `no-jetstream`, `no-stream`, `no-consumer`,
 * `not-pull-consumer`, `failed`). A message `decode()` rejects is terminated (never delivered
 * again) and reported on stderr with its stream sequence. Acks the server does not get (a lost
 * connection) are reported on stderr, rate-limited: those messages are delivered again.
 */
export abstract class JetStreamPipeline<E extends object> extends Pipeline<E> {
  /** The options, defaults filled in. */
  protected readonly jetStream: Readonly<Required<Omit<JetStreamPipelineOptions, 'filterSubject' | 'connection'>>> &
    Pick<JetStreamPipelineOptions, 'filterSubject' | 'connection'>;
  private readonly where: { servers: string; stream: string; consumer: string };
  private nc?: NatsConnection;
  private js?: JetStreamClient;
  private consumerHandle?: Consumer;
  private readonly inWork = new Map<string, InWork>();
  private readonly deliveries = new WeakMap<object, Delivery>();
  private extender?: NodeJS.Timeout;
  private closing = false;
  private readonly reporter = new StderrReporter('[JetStreamPipeline]');

  /**
   * Checks the options; connects nothing (that is `startup()`).
   * @throws InvalidOptionError (`MINIONS_INVALID_OPTION`) naming the field: a missing `servers`,
   *   a `stream` or `consumer` that is empty or holds spaces, `.`, `*`, `>`, `/` or `\`, a
   *   duration or count out of range.
   */
  constructor(options: JetStreamPipelineOptions) {
    super();
    const o = options ?? ({} as JetStreamPipelineOptions);
    const servers = Array.isArray(o.servers) ? o.servers : [o.servers];
    if (servers.length === 0 || servers.some((s) => typeof s !== 'string' || s.length === 0)) {
      throw new InvalidOptionError('JetStreamPipelineOptions.servers', o.servers, 'a nats:// URL or a list of them');
    }
    for (const field of ['stream', 'consumer'] as const) {
      if (typeof o[field] !== 'string' || !NAME.test(o[field])) {
        throw new InvalidOptionError(`JetStreamPipelineOptions.${field}`, o[field], 'a name without spaces, ., *, >, / or \\');
      }
    }
    const int = (field: keyof JetStreamPipelineOptions, value: number, min: number): number => {
      if (!Number.isInteger(value) || value < min) throw new InvalidOptionError(`JetStreamPipelineOptions.${field}`, value, `an integer >= ${min}`);
      return value;
    };
    this.jetStream = {
      servers, stream: o.stream, consumer: o.consumer, create: o.create ?? true,
      subjects: o.subjects ?? [`${o.stream}.>`], filterSubject: o.filterSubject,
      ackWaitMs: int('ackWaitMs', o.ackWaitMs ?? 30_000, 1000),
      maxDeliver: o.maxDeliver === -1 || o.maxDeliver === undefined ? -1 : int('maxDeliver', o.maxDeliver, 1),
      maxAckPending: int('maxAckPending', o.maxAckPending ?? 1000, 1),
      maxBatch: int('maxBatch', o.maxBatch ?? 256, 1),
      idleWaitMs: int('idleWaitMs', o.idleWaitMs ?? 5000, 1000),
      retryDelayMs: int('retryDelayMs', o.retryDelayMs ?? 5000, 0),
      connection: o.connection,
    };
    this.where = { servers: servers.join(','), stream: o.stream, consumer: o.consumer };
  }

  /**
   * Turns one message into the event its workflow runs on (an instance of the pipeline's event
   * class). `msg.json()`, `msg.string()` and `msg.data` read the payload; `msg.subject`,
   * `msg.headers` and `msg.info` (stream sequence, redelivery count) describe it. A throw
   * terminates the message: a payload that cannot be read is not delivered again.
   */
  protected abstract decode(msg: JsMsg): E;

  /** Messages this process holds now (buffered or running), not yet acknowledged. */
  get messagesInWork(): number {
    return this.inWork.size;
  }

  /**
   * Connects, makes sure the stream and the consumer exist (creating them when `create` is on),
   * and starts extending the ack deadline of the messages it holds.
   * @throws JetStreamError naming server, stream and consumer.
   */
  override async startup(): Promise<void> {
    const nats = loadNats(this.where);
    const o = this.jetStream;
    let stage: 'connect' | 'jetstream' | 'stream' | 'consumer' = 'connect';
    try {
      this.nc = await nats.connect({ name: `minions ${o.consumer}`, ...o.connection, servers: o.servers });
      stage = 'jetstream';
      const jsm: JetStreamManager = await this.nc.jetstreamManager();
      stage = 'stream';
      await this.ensureStream(jsm, nats);
      stage = 'consumer';
      const ackWaitMs = await this.ensureConsumer(jsm, nats);
      this.js = this.nc.jetstream();
      this.consumerHandle = await this.js.consumers.get(o.stream, o.consumer);
      // Well below the ack wait: a tick delayed by a busy event loop still comes in time.
      this.extender = setInterval(() => this.extend(), Math.max(200, Math.floor(ackWaitMs / 3)));
      this.extender.unref();
    } catch (error) {
      await this.nc?.close().catch(() => {});
      this.nc = undefined;
      throw jetStreamFailure(this.where, stage, error);
    }
  }

  /**
   * Hands back (`nak`) any message still held, then drains and closes the connection. The
   * runtime calls it after the orchestrations on this pipeline stopped.
   */
  override async shutdown(): Promise<void> {
    this.closing = true;
    if (this.extender) clearInterval(this.extender);
    for (const [key, entry] of this.inWork) this.settle(key, entry, (m) => m.nak());
    const nc = this.nc;
    this.nc = undefined;
    if (nc && !nc.isClosed()) await nc.drain().catch((e: unknown) => this.reporter.report('drain', `drain of the connection failed: ${describeError(e)}`));
  }

  /**
   * Fetches up to `max` messages (at most `maxBatch`): those waiting now, or, when there are none,
   * the first to come within `idleWaitMs` (an empty array if none does).
   */
  override async produceEvents(max: number): Promise<E[]> {
    const js = this.js;
    const consumer = this.consumerHandle;
    if (!js || !consumer || this.closing) return [];
    const o = this.jetStream;
    const batch = Math.max(1, Math.min(max, o.maxBatch));
    const msgs: JsMsg[] = [];
    try {
      for await (const m of js.fetch(o.stream, o.consumer, { batch, no_wait: true })) msgs.push(m);
      if (msgs.length === 0) {
        const m = await consumer.next({ expires: o.idleWaitMs });
        if (m) msgs.push(m);
      }
    } catch (error) {
      for (const m of msgs) this.safely(() => m.nak(), 'nak');
      throw jetStreamFailure(this.where, 'fetch', error);
    }
    const events: E[] = [];
    for (const m of msgs) {
      const event = this.take(m);
      if (event) events.push(event);
    }
    return events;
  }

  /** The delivery of an event this pipeline produced: the runtime acknowledges or hands it back through it. */
  override deliveryOf(event: E): Delivery | undefined {
    return this.deliveries.get(event);
  }

  /** Decodes a fetched message into a fresh event, or records a redelivery of one in work (no second event). */
  private take(m: JsMsg): E | undefined {
    const key = `${this.jetStream.stream}:${m.seq}`;
    const held = this.inWork.get(key);
    if (held) {
      // Delivered again while this process still works on it (its ack wait ran out): the workflow
      // is joined, not run twice; acks and extensions now go to the latest delivery.
      held.msg = m;
      this.safely(() => m.working(), 'working');
      return undefined;
    }
    let event: E;
    try {
      event = this.decode(m);
      if (typeof event !== 'object' || event === null) throw new InvalidComponentError(`${this.constructor.name}.decode() returned ${event === null ? 'null' : typeof event}, not an event object`);
    } catch (error) {
      this.reporter.report(`decode ${describeError(error).slice(0, 80)}`, `${this.constructor.name}.decode failed on message ${key} ` +
        `(subject ${m.subject}); the message is terminated (not delivered again): ${describeError(error)}`);
      this.safely(() => m.term(), 'term');
      return undefined;
    }
    const entry: InWork = { msg: m };
    this.inWork.set(key, entry);
    const delivery: Delivery = {
      key,
      redelivered: m.redelivered,
      ended: () => this.settle(key, entry, (msg) => msg.ack()),
      retry: (reason: RetryReason) => this.settle(key, entry, (msg) => msg.nak(reason === 'not-started' ? undefined : this.jetStream.retryDelayMs)),
    };
    this.deliveries.set(event, delivery);
    return event;
  }

  private settle(key: string, entry: InWork, act: (msg: JsMsg) => void): void {
    if (this.inWork.get(key) !== entry) return;
    this.inWork.delete(key);
    this.safely(() => act(entry.msg), 'ack');
  }

  private extend(): void {
    for (const entry of this.inWork.values()) this.safely(() => entry.msg.working(), 'working');
  }

  /** Acks go out without waiting for the server; a closed connection throws: the message is delivered again. */
  private safely(fn: () => void, what: string): void {
    try {
      fn();
    } catch (error) {
      this.reporter.report(what, `${what} failed on ${this.where.stream}/${this.where.consumer} (the message will be delivered again): ${describeError(error)}`);
    }
  }

  private async ensureStream(jsm: JetStreamManager, nats: typeof import('nats')): Promise<void> {
    const o = this.jetStream;
    try {
      await jsm.streams.info(o.stream);
      return;
    } catch (error) {
      if (!isNotFound(error, 10059)) throw error;
    }
    if (!o.create) throw this.problem('no-stream', 'the stream does not exist. Create it, or let the pipeline create it (create: true).');
    await jsm.streams.add({ name: o.stream, subjects: o.subjects, retention: nats.RetentionPolicy.Limits, storage: nats.StorageType.File })
      .catch((error: unknown) => {
        if (!isAlreadyInUse(error)) throw error; // another process created it first
      });
  }

  /** Makes sure the durable exists and is a pull consumer with explicit acks; returns its ack wait in ms. */
  private async ensureConsumer(jsm: JetStreamManager, nats: typeof import('nats')): Promise<number> {
    const o = this.jetStream;
    let info;
    try {
      info = await jsm.consumers.info(o.stream, o.consumer);
    } catch (error) {
      if (!isNotFound(error, 10014)) throw error;
      if (!o.create) throw this.problem('no-consumer', 'the durable consumer does not exist. Create it (a pull consumer with explicit acks), or let the pipeline create it (create: true).');
      info = await jsm.consumers.add(o.stream, {
        durable_name: o.consumer, ack_policy: nats.AckPolicy.Explicit, deliver_policy: nats.DeliverPolicy.All,
        ack_wait: nats.nanos(o.ackWaitMs), max_deliver: o.maxDeliver, max_ack_pending: o.maxAckPending,
        ...(o.filterSubject === undefined ? {} : { filter_subject: o.filterSubject }),
      });
    }
    if (info.config.deliver_subject || info.config.ack_policy !== nats.AckPolicy.Explicit) {
      throw this.problem('not-pull-consumer', `the consumer is ${info.config.deliver_subject ? 'a push consumer' : `acknowledged ${info.config.ack_policy}`}; ` +
        'JetStreamPipeline needs a pull consumer with explicit acks (ack_policy explicit, no deliver_subject). Use another consumer name.');
    }
    return Math.round(Number(info.config.ack_wait ?? nats.nanos(30_000)) / 1e6);
  }

  private problem(problem: JetStreamProblem, message: string): JetStreamError {
    return new JetStreamError({ ...this.where, problem }, message);
  }
}

function isNotFound(error: unknown, errCode: number): boolean {
  const api = (error as { api_error?: { err_code?: number; code?: number } }).api_error;
  return api?.err_code === errCode || (api?.code === 404 && api.err_code === undefined);
}

function isAlreadyInUse(error: unknown): boolean {
  // 10058: stream name already in use (with another config: reported by the info that follows).
  return (error as { api_error?: { err_code?: number } }).api_error?.err_code === 10058;
}
