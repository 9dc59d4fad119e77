import { compile, makeProject, removeProject, runCli, writeFiles } from './cli-harness';
import { FEED_TS, MODEL_TS } from './fixture-sources';

/** Two minions on one finite feed; the second needs a resource that takes many event-loop turns to start. */
const MINIONS_TS = `
import { Minion, Resource, minion, resource, step } from 'minions';
import { Job, JobContext } from './model';

@resource()
export class SlowClient extends Resource {
  async startup() { for (let i = 0; i < 500; i++) await new Promise((r) => setImmediate(r)); }
}

@minion({ event: Job, context: JobContext })
export class Counter extends Minion<Job, JobContext> {
  @step async one() { console.log('counter ' + this.event.n); }
}

@minion({ event: Job, context: JobContext })
export class SlowCounter extends Minion<Job, JobContext> {
  constructor(private readonly client: SlowClient) { super(); }
  @step async one() { console.log('slow ' + this.event.n); }
}
`;

const ENTRY_TS = `
import { NoOpLogger } from 'minions';
import { Feed } from '../src/feed';
import { Counter, SlowCounter } from '../src/minions';

export const orchestrations = [
  { pipeline: Feed, minion: Counter },
  { pipeline: Feed, minion: SlowCounter },
];
export const gruOptions = { stateStore: null, metrics: null, logger: new NoOpLogger() };
`;

describe('minions run: orchestrations of one entry start as one unit', () => {
  let dir: string;
  beforeAll(() => {
    dir = makeProject();
    writeFiles(dir, { 'src/model.ts': MODEL_TS, 'src/feed.ts': FEED_TS, 'src/minions.ts': MINIONS_TS, 'deploy/entry.ts': ENTRY_TS });
    compile(dir, ['src/model.ts', 'src/feed.ts', 'src/minions.ts', 'deploy/entry.ts']);
  });
  afterAll(() => removeProject(dir));

  it('two orchestrations on one finite pipeline each see every event, though one starts slowly', async () => {
    const r = await runCli(['run', 'deploy/entry.js', '--exit-when-idle'], dir, { FIXTURE_EVENTS: '1461' });
    expect(r.stderr).not.toMatch(/error|already produced/i);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('counter ')).length).toBe(1461);
    expect(lines.filter((l) => l.startsWith('slow ')).length).toBe(1461);
  });
});
