import { connect, type NatsConnection } from 'nats';

/**
 * The acknowledgements sent for one JetStream stream, seen as they happen, so a test waits on
 * them instead of polling the server. An ack is a message the worker publishes to the delivery's
 * reply subject, `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<ts>.<pending>`
 * (newer servers put `<domain>.<account hash>.` before the stream and a token after), and any
 * subscriber of that subject receives it too.
 */
export class AckTap {
  /** Stream sequences of the stream acknowledged (`+ACK`) at least once. */
  readonly acked = new Set<number>();
  /** Messages seen on `$JS.ACK.>` (acks, naks, progress of any stream): each one wakes the waiters. */
  private seen = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(private readonly nc: NatsConnection) {}

  /** Subscribes before it resolves: no ack sent afterwards is missed. */
  static async open(url: string, stream: string): Promise<AckTap> {
    const nc = await connect({ servers: url, name: 'test ack tap' });
    const tap = new AckTap(nc);
    nc.subscribe('$JS.ACK.>', { callback: (_, m) => tap.record(m.subject, m.data, stream) }); // closed with the connection
    await nc.flush(); // the server has the subscription
    return tap;
  }

  /**
   * Resolves once `condition` holds, checked now and again after every message on `$JS.ACK.>`;
   * rejects with `stop`'s reason if it settles first.
   */
  async until(condition: () => boolean | Promise<boolean>, stop: Promise<never>): Promise<void> {
    for (;;) {
      const before = this.seen;
      if (await condition()) return;
      await Promise.race([this.after(before), stop]);
    }
  }

  close(): Promise<void> {
    return this.nc.close();
  }

  private record(subject: string, data: Uint8Array, stream: string): void {
    const tokens = subject.split('.');
    const [streamAt, seqAt] = tokens.length === 9 ? [2, 5] : [4, 7];
    if (tokens[streamAt] === stream && new TextDecoder().decode(data).startsWith('+ACK')) this.acked.add(Number(tokens[seqAt]));
    this.seen++;
    for (const wake of [...this.waiters]) wake();
  }

  /** Resolves once more than `count` messages were seen in all. */
  private after(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.seen <= count) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }
}
