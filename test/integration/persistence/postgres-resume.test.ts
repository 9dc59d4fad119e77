import 'reflect-metadata';
import { Client } from 'pg';
import { Minion, PostgresStateStore, minion, step } from 'minions';
import { runMinion } from 'minions/testing';
import { freshTable, postgresUrl } from '../../support/postgres';

class Ev { n = 0; }
class Ctx { trail: string[] = []; stamp = new Date(0); }
const ran: string[] = [];

@minion({ id: '6a6a6a6a-6a6a-4a6a-8a6a-6a6a6a6a6a6a', event: Ev, context: Ctx })
class TwoSteps extends Minion<Ev, Ctx> {
  @step async first() { ran.push('first'); this.context.trail.push('first'); this.context.stamp = new Date(86_400_000); }
  @step async second() { ran.push('second'); this.context.trail.push(`second@${this.context.stamp.toISOString().slice(0, 10)}`); }
}

describe('workflows on a PostgresStateStore', () => {
  it('resume in the next process (another store on the same table) at the saved step', async () => {
    const table = freshTable('resume');
    const first = await runMinion({
      minion: TwoSteps, events: [Object.assign(new Ev(), { n: 1 })], interruptBefore: 'second',
      stateStore: new PostgresStateStore({ url: postgresUrl(), table }),
    });
    expect(first.workflows.map((w) => w.outcome)).toEqual(['interrupted']);
    ran.length = 0;
    const second = await runMinion({ minion: TwoSteps, stateStore: new PostgresStateStore({ url: postgresUrl(), table }) });
    expect(second.resumedWorkflows).toBe(1);
    expect(ran).toEqual(['second']);
    expect(second.workflows[0]!.context).toEqual(expect.objectContaining({ trail: ['first', 'second@1970-01-02'] }));
    const check = new PostgresStateStore({ url: postgresUrl(), table });
    await check.startup();
    try {
      expect(await check.getAllContexts()).toEqual([]);
    } finally {
      await check.shutdown();
    }
  });

  it('leave a live process\'s workflows to it, and take them over once it is gone', async () => {
    const table = freshTable('owners');
    const first = await runMinion({
      minion: TwoSteps, events: [Object.assign(new Ev(), { n: 1 })], interruptBefore: 'second',
      stateStore: new PostgresStateStore({ url: postgresUrl(), table }),
    });
    const started = first.logger.findAll('Gru started')[0]!.fields as Record<string, unknown>;
    expect(started.executor_id).toMatch(/^.+\/\d+\/[0-9a-f]{8}$/);
    const client = new Client({ connectionString: postgresUrl() });
    await client.connect();
    try {
      const { rows } = await client.query(`SELECT owner FROM ${table}`);
      expect(rows).toEqual([{ owner: started.executor_id }]);
      // Another process, alive, owns the workflow now.
      await client.query(`INSERT INTO ${table}_executors (executor_id, host, pid) VALUES ('elsewhere/1/alive', 'elsewhere', 1)`);
      await client.query(`UPDATE ${table} SET owner = 'elsewhere/1/alive'`);
      ran.length = 0;
      const second = await runMinion({ minion: TwoSteps, stateStore: new PostgresStateStore({ url: postgresUrl(), table }) });
      expect(second.resumedWorkflows).toBe(0);
      expect(ran).toEqual([]);
      // It stops (its lease row goes): the next start takes its workflow over.
      await client.query(`DELETE FROM ${table}_executors WHERE executor_id = 'elsewhere/1/alive'`);
      const third = await runMinion({ minion: TwoSteps, stateStore: new PostgresStateStore({ url: postgresUrl(), table }) });
      expect(third.resumedWorkflows).toBe(1);
      expect(ran).toEqual(['second']);
      expect((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows).toEqual([{ n: 0 }]);
    } finally {
      await client.end();
    }
  });
});
