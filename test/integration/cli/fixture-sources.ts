/**
 * TypeScript sources of the fixture projects the CLI tests run. Behaviour is steered by
 * environment variables, so one compiled project serves several processes:
 * - `FIXTURE_EVENTS`: how many events the feed emits (default 3);
 * - `FIXTURE_BLOCK=1`: step `two` prints `blocked <n>` and waits until the orchestration stops.
 * Step `two` otherwise prints `finished <n> label=<config.label> one=<context.one>`.
 */

/** Event, context and config classes. */
export const MODEL_TS = `
export class Job { n = 0; }
export class JobContext { one = ''; }
export class JobConfig { label = 'default'; }
`;

/** The pipeline, without an id (stamp adds one). */
export const FEED_TS = `
import { Pipeline, pipeline } from 'minions';
import { Job } from './model';

@pipeline({ event: Job })
export class Feed extends Pipeline<Job> {
  async *events() {
    const count = Number(process.env.FIXTURE_EVENTS ?? '3');
    for (let n = 1; n <= count; n++) yield Object.assign(new Job(), { n });
  }
}
`;

/** The minion, without an id; `className` lets a test rename it. */
export function workerTs(className = 'Worker', idOption = ''): string {
  return `
import { Minion, minion, step } from 'minions';
import { Job, JobConfig, JobContext } from '../model';

@minion({
  event: Job,
  context: JobContext,
  config: JobConfig,${idOption ? `\n  ${idOption},` : ''}
})
export class ${className} extends Minion<Job, JobContext, JobConfig> {
  @step async one() {
    this.context.one = 'one@' + this.config.label;
  }

  @step async two() {
    if (process.env.FIXTURE_BLOCK === '1') {
      console.log('blocked ' + this.event.n);
      await new Promise((_, reject) => this.signal.addEventListener('abort', () => reject(new Error('stopped'))));
    }
    console.log('finished ' + this.event.n + ' label=' + this.config.label + ' one=' + this.context.one);
  }
}
`;
}

/**
 * A script that starts the orchestration on a SqliteStateStore (argv[2]) with the YAML config,
 * prints `started <orchestrationId>`, and runs until killed.
 */
export const CRASH_SCRIPT_TS = `
import 'reflect-metadata';
import { Gru, NoOpLogger, SqliteStateStore } from 'minions';
import { Feed } from './feed';
import { Worker } from './jobs/worker';

async function main(): Promise<void> {
  const gru = await Gru.create({ stateStore: new SqliteStateStore({ path: process.argv[2] }), logger: new NoOpLogger(), metrics: null });
  const started = await gru.startOrchestration({ pipeline: Feed, minion: Worker, configPath: 'config/app.yaml' });
  console.log('started ' + started.orchestrationId);
}

main().catch((e) => { console.error(e); process.exit(1); });
`;

/** The YAML config, with a comment and without an id. */
export const CONFIG_YAML = `# the fixture's config
label: yaml-label # inline comment
`;
