import { Client } from 'pg';
import { PostgresStateStore, StateStoreOpenError } from '../../../src';
import { freshTable, postgresUrl } from '../../support/postgres';

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const ids = (rows: { workflowId: string }[]) => rows.map((r) => r.workflowId).sort();

describe('PostgresStateStore ownership (several processes on one table)', () => {
  const stores: PostgresStateStore[] = [];
  let client: Client;
  let table: string;
  /**
   * Waits, on the server's clock (the one leases use), until `executorId` has been alive longer
   * than one lease and has renewed its heartbeat since: a lease without heartbeats would have run out.
   */
  const leaseOutlivedByHeartbeat = async (executorId: string, leaseMs: number): Promise<void> => {
    const first = await client.query(`SELECT heartbeat_at FROM ${table}_executors WHERE executor_id = $1`, [executorId]);
    const since = first.rows[0].heartbeat_at as Date;
    for (;;) {
      const { rows } = await client.query(
        `SELECT now() > $2::timestamptz + ($3 || ' milliseconds')::interval AND heartbeat_at > $2::timestamptz AS done
         FROM ${table}_executors WHERE executor_id = $1`, [executorId, since, String(leaseMs)]);
      if (rows[0]?.done) return;
    }
  };
  const store = async (executorId: string): Promise<PostgresStateStore> => {
    const s = new PostgresStateStore({ url: postgresUrl(), table, leaseMs: 1000 });
    stores.push(s);
    await s.startup();
    await s.attachExecutor(executorId);
    return s;
  };
  const owners = async () =>
    (await client.query(`SELECT workflow_id, owner FROM ${table} ORDER BY workflow_id`)).rows.map((r) => `${r.workflow_id}:${r.owner}`);

  beforeEach(async () => {
    table = freshTable('own');
    client = new Client({ connectionString: postgresUrl() });
    await client.connect();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.shutdown()));
    await client.end();
  });

  it('records the saving process as owner, and leaves a live owner\'s workflows to it', async () => {
    const a = await store('host/1/a');
    const b = await store('host/2/b');
    await a.saveContext('wf-a', 'orch', bytes(1));
    await b.saveContext('wf-b', 'orch', bytes(2));
    expect(await owners()).toEqual(['wf-a:host/1/a', 'wf-b:host/2/b']);
    expect(ids(await b.claimContextsForOrchestration('orch'))).toEqual(['wf-b']);
    expect(ids(await a.claimContextsForOrchestration('orch'))).toEqual(['wf-a']);
    expect(ids(await a.getContextsForOrchestration('orch'))).toEqual(['wf-a', 'wf-b']);
  });

  it('lets a live process take over the workflows of one that stopped', async () => {
    const a = await store('host/1/a');
    const b = await store('host/2/b');
    await a.saveContext('wf-a', 'orch', bytes(1));
    await a.shutdown();
    expect(ids(await b.claimContextsForOrchestration('orch'))).toEqual(['wf-a']);
    expect(await owners()).toEqual(['wf-a:host/2/b']);
  });

  it('takes over the workflows of a process whose lease ran out (killed), and rows with no owner', async () => {
    const b = await store('host/2/b');
    await client.query(`INSERT INTO ${table}_executors (executor_id, host, pid, heartbeat_at) VALUES ('host/9/dead', 'host', 9, now() - interval '1 minute')`);
    await client.query(`INSERT INTO ${table} (workflow_id, orchestration_id, context, owner) VALUES
      ('wf-dead', 'orch', '\\x01', 'host/9/dead'), ('wf-none', 'orch', '\\x02', NULL), ('wf-other', 'other', '\\x03', 'host/9/dead')`);
    expect(ids(await b.claimContextsForOrchestration('orch'))).toEqual(['wf-dead', 'wf-none']);
    expect(await owners()).toEqual(['wf-dead:host/2/b', 'wf-none:host/2/b', 'wf-other:host/9/dead']);
  });

  it('keeps a process alive by heartbeat past its lease', async () => {
    const a = await store('host/1/a');
    const b = await store('host/2/b');
    await a.saveContext('wf-a', 'orch', bytes(1));
    await leaseOutlivedByHeartbeat('host/1/a', 1000);
    expect(await b.claimContextsForOrchestration('orch')).toEqual([]);
  });

  it('gives each orphaned workflow to one of several processes claiming at once', async () => {
    const claimers = await Promise.all(['host/2/b', 'host/3/c', 'host/4/d'].map(store));
    const values = Array.from({ length: 60 }, (_, i) => `('wf-${i}', 'orch', '\\x00', 'host/9/dead')`).join(', ');
    await client.query(`INSERT INTO ${table} (workflow_id, orchestration_id, context, owner) VALUES ${values}`);
    const claimed = await Promise.all(claimers.map((s) => s.claimContextsForOrchestration('orch')));
    const all = claimed.flatMap(ids);
    expect(all).toHaveLength(60);
    expect(new Set(all).size).toBe(60);
  });

  it('names the server and the missing grant when the lease row cannot be written', async () => {
    await store('host/1/a'); // creates the tables
    await client.query(`REVOKE INSERT ON ${table}_executors FROM minions`);
    await client.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${table} TO minions`);
    const s = new PostgresStateStore({ url: postgresUrl(), table });
    stores.push(s);
    await s.startup();
    const error = await s.attachExecutor('host/2/b').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateStoreOpenError);
    expect((error as StateStoreOpenError).problem).toBe('permission-denied');
    expect((error as Error).message).toContain(`${table}_executors`);
  });
});
