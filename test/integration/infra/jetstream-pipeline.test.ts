import 'reflect-metadata';
import { connect, type JetStreamManager, type JsMsg, type NatsConnection } from 'nats';
import {
  Gru, InvalidOptionError, JetStreamError, JetStreamPipeline, Minion, NoOpLogger, PostgresStateStore, minion, pipeline, publishToJetStream, step,
} from 'minions';
import { freshStream, natsUrl } from '../../support/nats';
import { freshTable, postgresUrl } from '../../support/postgres';

class Job { n = 0; }
class Ctx { seen = 0; }

let stream = '';
/** Opens the step of each workflow: resolves the step's wait. */
const gates: Array<() => void> = [];
let stepEntered: (n: number) => void = () => {};
const runs: number[] = [];
/** Ack-deadline extensions (`working()`) the pipeline sent, and a wake-up for each. */
let extensions = 0;
let onWorking: () => void = () => {};

@pipeline({ id: '7a7a7a7a-7a7a-4a7a-8a7a-7a7a7a7a7a7a', event: Job })
class Jobs extends JetStreamPipeline<Job> {
  constructor() { super({ servers: natsUrl(), stream, consumer: 'c', ackWaitMs: 1000, idleWaitMs: 1000, retryDelayMs: 100 }); }
  protected decode(msg: JsMsg): Job {
    const working = msg.working.bind(msg);
    msg.working = () => { extensions++; onWorking(); working(); };
    return Object.assign(new Job(), msg.json<{ n: number }>());
  }
}

@minion({ id: '8b8b8b8b-8b8b-4b8b-8b8b-8b8b8b8b8b8b', event: Job, context: Ctx })
class Gated extends Minion<Job, Ctx> {
  @step async wait() {
    runs.push(this.event.n);
    await new Promise<void>((resolve) => { gates.push(resolve); stepEntered(this.event.n); });
  }
}

describe('JetStreamPipeline (SEMANTICS 10: broker messages are acknowledged only when their workflow has ended)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let gru: Gru | undefined;

  beforeEach(async () => {
    stream = freshStream('CONTRACT');
    gates.length = 0;
    runs.length = 0;
    extensions = 0;
    nc = await connect({ servers: natsUrl() });
    jsm = await nc.jetstreamManager();
  });
  afterEach(async () => {
    for (const open of gates.splice(0)) open();
    await gru?.shutdown();
    gru = undefined;
    await nc.close();
  });

  const start = async (options: { bufferSize?: number; maxInFlight?: number } = {}) => {
    gru = await Gru.create({
      stateStore: new PostgresStateStore({ url: postgresUrl(), table: freshTable('jsp') }), logger: new NoOpLogger(), metrics: null, admin: false, ...options,
    });
    await gru.startOrchestration({ pipeline: Jobs, minion: Gated });
  };
  const entered = (count: number) => new Promise<void>((resolve) => {
    stepEntered = () => { if (gates.length >= count) resolve(); };
    if (gates.length >= count) resolve();
  });
  const consumer = () => jsm.consumers.info(stream, 'c');
  /** Waits, on the server, until `predicate` holds for the consumer's state. */
  const consumerReaches = async (predicate: (info: Awaited<ReturnType<typeof consumer>>) => boolean) => {
    for (;;) if (predicate(await consumer())) return;
  };

  it('acknowledges a message only once its workflow has ended', async () => {
    await publishToJetStream({ servers: natsUrl(), stream }, [{ n: 1 }]);
    await start();
    await entered(1);
    expect((await consumer()).num_ack_pending).toBe(1);
    gates[0]!();
    await consumerReaches((i) => i.num_ack_pending === 0 && i.ack_floor.stream_seq === 1);
    expect(runs).toEqual([1]);
  });

  it('keeps a long step\'s message from being delivered again (working)', async () => {
    await publishToJetStream({ servers: natsUrl(), stream }, [{ n: 1 }]);
    await start();
    await entered(1);
    // Three ack waits pass while the step runs: the pipeline extends the deadline every third of
    // one (1 s here), so nine extensions span them.
    await new Promise<void>((resolve) => {
      onWorking = () => { if (extensions >= 9) resolve(); };
      onWorking();
    });
    const info = await consumer();
    expect({ redelivered: info.num_redelivered, unacked: info.num_ack_pending }).toEqual({ redelivered: 0, unacked: 1 });
    gates[0]!();
    await consumerReaches((i) => i.num_ack_pending === 0);
    expect(runs).toEqual([1]);
  });

  it('fetches no more messages than its buffer and in-flight room (backpressure)', async () => {
    await publishToJetStream({ servers: natsUrl(), stream }, Array.from({ length: 50 }, (_, n) => ({ n })));
    await start({ bufferSize: 4, maxInFlight: 2 });
    await entered(2);
    const buffered = () => gru!.snapshot().orchestrations[0]!.bufferedEvents;
    while (buffered() < 4) await new Promise((resolve) => setImmediate(resolve));
    const info = await consumer();
    expect({ delivered: info.delivered.stream_seq, unacked: info.num_ack_pending }).toEqual({ delivered: 6, unacked: 6 });
    expect(info.num_pending).toBe(44);
  });

  it('names server, stream and consumer when the stream is missing and creating is off', async () => {
    @pipeline({ id: '9c9c9c9c-9c9c-4c9c-8c9c-9c9c9c9c9c9c', event: Job })
    class NoCreate extends JetStreamPipeline<Job> {
      constructor() { super({ servers: natsUrl(), stream, consumer: 'c', create: false }); }
      protected decode(): Job { return new Job(); }
    }
    const error = await new NoCreate().startup().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JetStreamError);
    expect((error as JetStreamError).problem).toBe('no-stream');
    expect((error as Error).message).toContain(`${natsUrl()} stream ${stream} consumer c`);
  });

  it('names the server it cannot reach, and rejects bad options by field', async () => {
    class Unreachable extends JetStreamPipeline<Job> { protected decode(): Job { return new Job(); } }
    const error = await new Unreachable({ servers: 'nats://127.0.0.1:1', stream: 'S', consumer: 'c' }).startup().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JetStreamError);
    expect((error as JetStreamError).problem).toBe('unreachable');
    expect((error as Error).message).toContain('nats://127.0.0.1:1 stream S consumer c');
    expect(() => new Unreachable({ servers: 'nats://x', stream: 'a.b', consumer: 'c' })).toThrow(InvalidOptionError);
    expect(() => new Unreachable({ servers: 'nats://x', stream: 'S', consumer: 'c', ackWaitMs: 10 })).toThrow(/ackWaitMs/);
  });
});
