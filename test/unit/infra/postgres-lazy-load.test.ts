import { StateStoreOpenError } from '../../../src/core/errors';
import { postgresFailure } from '../../../src/infra/postgres/postgres-failure';

describe('PostgresStateStore loads pg only when started', () => {
  afterEach(() => {
    jest.dontMock('pg');
  });

  it('neither importing minions nor constructing the store loads pg', () => {
    let loaded = false;
    jest.isolateModules(() => {
      jest.doMock('pg', () => {
        loaded = true;
        return {};
      });
      const { PostgresStateStore } = require('../../../src') as typeof import('../../../src');
      const store = new PostgresStateStore({ url: 'postgres://u:p@db.example:6543/app' });
      expect(store.server).toEqual({ host: 'db.example', port: 6543, database: 'app', user: 'u', table: 'minions_workflows' });
    });
    expect(loaded).toBe(false);
  });

  it('fails startup() naming the package to install when pg is missing', async () => {
    let failure: unknown;
    await jest.isolateModulesAsync(async () => {
      jest.doMock('pg', () => {
        throw Object.assign(new Error("Cannot find module 'pg' from 'load-pg.ts'"), { code: 'MODULE_NOT_FOUND' });
      });
      const { PostgresStateStore } = require('../../../src') as typeof import('../../../src');
      failure = await new PostgresStateStore({ url: 'postgres://localhost/app' }).startup().catch((e: unknown) => e);
    });
    expect((failure as StateStoreOpenError).code).toBe('MINIONS_STATE_STORE_OPEN');
    expect((failure as StateStoreOpenError).problem).toBe('driver-missing');
    expect((failure as Error).message).toMatch(/npm install pg/);
  });
});

describe('postgresFailure', () => {
  const server = { host: 'db', port: 5432, database: 'app', user: 'me', table: 'minions_workflows' };

  it('reads the code of an AggregateError of several addresses', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' });
    const error = postgresFailure(server, 'connect', new AggregateError([refused, refused])) as StateStoreOpenError;
    expect(error.problem).toBe('unreachable');
    expect(error.message).toContain('postgres://me@db:5432/app table minions_workflows');
  });

  it('calls a connection timeout a timeout', () => {
    const error = postgresFailure(server, 'connect', new Error('timeout expired')) as StateStoreOpenError;
    expect(error.problem).toBe('timeout');
    expect(error.retryable).toBe(false);
  });

  it('tells a user who may not create the table what to grant', () => {
    const error = postgresFailure(server, 'migrate', Object.assign(new Error('permission denied for schema public'), { code: '42501' }));
    expect(error.message).toMatch(/grant CREATE on the schema/);
  });
});
