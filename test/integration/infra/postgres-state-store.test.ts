import { createServer } from 'node:net';
import { Client } from 'pg';
import { PostgresStateStore, StateStoreOpenError } from '../../../src';
import { runStateStoreContract } from '../../../src/testing/state-store-contract';
import { freshTable, postgresUrl, postgresUrlWith } from '../../support/postgres';

runStateStoreContract('PostgresStateStore', () => new PostgresStateStore({ url: postgresUrl(), table: freshTable('contract') }));

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const stores: PostgresStateStore[] = [];
async function started(options: ConstructorParameters<typeof PostgresStateStore>[0]): Promise<PostgresStateStore> {
  const store = new PostgresStateStore(options);
  stores.push(store);
  await store.startup();
  return store;
}
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.shutdown()));
});

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function startupError(options: ConstructorParameters<typeof PostgresStateStore>[0]): Promise<StateStoreOpenError> {
  const store = new PostgresStateStore(options);
  const error = await store.startup().then(() => null, (e: unknown) => e);
  await store.shutdown();
  expect(error).toBeInstanceOf(StateStoreOpenError);
  return error as StateStoreOpenError;
}

describe('PostgresStateStore startup errors', () => {
  it('names host, port, database and table when nothing listens on the port', async () => {
    const port = await closedPort();
    const error = await startupError({ url: postgresUrlWith({ port }), table: 'wf' });
    expect(error.problem).toBe('unreachable');
    expect(error.sqliteCode).toBe('ECONNREFUSED');
    expect(error.message).toContain(`127.0.0.1:${port}`);
    expect(error.message).toContain('minions_test');
    expect(error.message).toContain('table wf');
    expect(error.server).toEqual({ host: '127.0.0.1', port, database: 'minions_test', user: 'minions', table: 'wf' });
  });

  it('says the login was refused for a wrong password, and never shows a password', async () => {
    const error = await startupError({ url: postgresUrlWith({ password: 'wrong-secret' }) });
    expect(error.problem).toBe('auth-failed');
    expect(error.sqliteCode).toBe('28P01');
    expect(error.message).toMatch(/refused user minions/);
    expect(error.message).not.toContain('wrong-secret');
  });

  it('says the database does not exist', async () => {
    const error = await startupError({ url: postgresUrlWith({ database: 'no_such_db' }) });
    expect(error.problem).toBe('no-database');
    expect(error.message).toContain('database no_such_db does not exist');
  });

  it('says which privilege is missing for a user who may not create the table', async () => {
    const url = new URL(postgresUrl());
    const error = await startupError({
      pool: { host: url.hostname, port: Number(url.port), database: 'minions_test', user: 'minions_reader', password: 'reader' },
      table: freshTable('denied'),
    });
    expect(error.problem).toBe('permission-denied');
    expect(error.sqliteCode).toBe('42501');
    expect(error.message).toMatch(/user minions_reader lacks a privilege/);
  });

  it('refuses startup() after shutdown(), also when the first startup failed', async () => {
    const store = new PostgresStateStore({ url: postgresUrlWith({ port: await closedPort() }) });
    await expect(store.startup()).rejects.toThrow(StateStoreOpenError);
    await store.shutdown();
    await expect(store.startup()).rejects.toThrow(/cannot be reopened/);
  });
});

describe('PostgresStateStore shared by several processes', () => {
  it('lets two stores on one table see each other\'s writes', async () => {
    const table = freshTable('shared');
    const [a, b] = await Promise.all([started({ url: postgresUrl(), table }), started({ url: postgresUrl(), table })]);
    await a.saveContext('wf-a', 'orch', bytes(1));
    await b.saveContext('wf-b', 'orch', bytes(2));
    expect((await a.getContextsForOrchestration('orch')).map((r) => r.workflowId).sort()).toEqual(['wf-a', 'wf-b']);
    await b.deleteContext('wf-a');
    expect((await a.getAllContexts()).map((r) => r.workflowId)).toEqual(['wf-b']);
    expect(await a.summarizeOrchestrations()).toEqual([{ orchestrationId: 'orch', count: 1, sample: Buffer.from([2]) }]);
  });

  it('lets several stores start together on a new table: one migrates, the others wait', async () => {
    const table = freshTable('race');
    const group = await Promise.all(Array.from({ length: 4 }, () => started({ url: postgresUrl(), table })));
    await Promise.all(group.map((store, i) => store.saveContext(`wf-${i}`, 'o', bytes(i))));
    expect(await group[0]!.getContextsForOrchestration('o')).toHaveLength(4);
  });

  it('keeps its table in the schema it is given, with its own migration history', async () => {
    const schema = freshTable('s');
    const store = await started({ url: postgresUrl(), schema, table: 'workflows' });
    await store.saveContext('wf', 'o', bytes(1));
    const client = new Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      const { rows } = await client.query(
        'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name', [schema]);
      expect(rows.map((r) => r.table_name)).toEqual(['workflows', 'workflows_executors', 'workflows_migration', 'workflows_migration_lock']);
    } finally {
      await client.end();
    }
    expect(store.table).toBe(`${schema}.workflows`);
  });
});

describe('PostgresStateStore group commit', () => {
  it('commits the writes of one turn in one transaction, and each call resolves after it', async () => {
    const store = await started({ url: postgresUrl(), table: freshTable('group') });
    const before = store.stats;
    const calls = Array.from({ length: 50 }, (_, i) => store.saveContext(`wf-${i}`, 'o', bytes(i)));
    calls.push(store.deleteContext('wf-0'));
    expect(store.stats.pendingWrites).toBe(51);
    await Promise.all(calls);
    expect(store.stats).toEqual({
      committedBatches: before.committedBatches + 1, committedWrites: before.committedWrites + 51, failedBatches: 0, pendingWrites: 0,
    });
    expect(await store.getAllContexts()).toHaveLength(49);
  });

  it('splits a turn larger than maxBatchSize, and groups the writes made while a transaction is in flight', async () => {
    const store = await started({ url: postgresUrl(), table: freshTable('group'), maxBatchSize: 10 });
    const first = Array.from({ length: 25 }, (_, i) => store.saveContext(`wf-${i}`, 'o', bytes(i)));
    await Promise.all(first);
    expect(store.stats.committedBatches).toBe(3);
    // Many turns of writes while one transaction is in flight: far fewer transactions than calls.
    const waves: Promise<void>[] = [];
    for (let turn = 0; turn < 20; turn += 1) {
      waves.push(store.saveContext(`late-${turn}`, 'o', bytes(turn)));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(waves);
    expect(store.stats.committedWrites).toBe(45);
    expect(store.stats.failedBatches).toBe(0);
    expect(await store.getAllContexts()).toHaveLength(45);
  });

  it('rejects every call of a failed transaction with the server\'s error, and goes on', async () => {
    const table = freshTable('fail');
    const store = await started({ url: postgresUrl(), table });
    const client = new Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      await client.query(`ALTER TABLE ${table} ADD CONSTRAINT short CHECK (length(context) < 3)`);
      const calls = [store.saveContext('ok', 'o', bytes(1)), store.saveContext('too-long', 'o', bytes(1, 2, 3))];
      const results = await Promise.allSettled(calls);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/short/);
      expect(store.stats.failedBatches).toBe(1);
      await store.saveContext('ok', 'o', bytes(1));
      expect((await store.getAllContexts()).map((r) => r.workflowId)).toEqual(['ok']);
    } finally {
      await client.end();
    }
  });
});
