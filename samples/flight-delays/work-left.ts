import { connect, type NatsConnection } from 'nats';
import { Pool } from 'pg';
import type { NatsTarget } from './source-url';
import type { PostgresTarget } from './state-url';

/** What the workers have not finished yet. */
export interface WorkLeft {
  /** Messages of the stream not yet delivered to the consumer (`undefined` until a worker created it). */
  pending?: number;
  /** Messages delivered and not acknowledged: their workflows have not ended. */
  unacked?: number;
  /** Checkpoints left in the shared store (`undefined` until a worker created the table). */
  checkpoints?: number;
}

/** True when nothing is left: every message acknowledged, no checkpoint. */
export const allDone = (w: WorkLeft): boolean => w.pending === 0 && w.unacked === 0 && w.checkpoints === 0;

/**
 * Watches the work of the workers of `sample:scale-out`: the stream's consumer (NATS) and the
 * checkpoint table (PostgreSQL). Both are asked, because a flight is done once its workflow
 * ended (no checkpoint) and its message was acknowledged.
 */
export class WorkWatcher {
  private constructor(private readonly nc: NatsConnection, private readonly pool: Pool, private readonly source: NatsTarget,
    private readonly state: PostgresTarget) {}

  static async open(source: NatsTarget, state: PostgresTarget): Promise<WorkWatcher> {
    const nc = await connect({ servers: source.servers, name: 'flight-delays scale-out' });
    return new WorkWatcher(nc, new Pool({ connectionString: state.url, max: 1 }), source, state);
  }

  async left(): Promise<WorkLeft> {
    const left: WorkLeft = {};
    const jsm = await this.nc.jetstreamManager();
    const info = await jsm.consumers.info(this.source.stream, this.source.consumer).catch(() => undefined);
    if (info) {
      left.pending = info.num_pending;
      left.unacked = info.num_ack_pending;
    }
    const table = `"${this.state.schema}"."minions_workflows"`;
    const rows = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`).catch((e: { code?: string }) => {
      if (e.code === '42P01' || e.code === '3F000') return undefined; // not created yet
      throw e;
    });
    if (rows) left.checkpoints = rows.rows[0]!.n;
    return left;
  }

  async close(): Promise<void> {
    await this.nc.close();
    await this.pool.end();
  }
}
