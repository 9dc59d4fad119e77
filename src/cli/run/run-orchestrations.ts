/**
 * The life of `minions run`: create the Gru, start the entry's orchestrations, run until
 * SIGINT/SIGTERM (or until idle), then shut down gracefully.
 */
import * as path from 'node:path';
import type { Gru, StartResult } from '../../index';
import { CliError } from '../cli-error';
import type { RunEntry } from './entry-file';

/** Options of {@link runOrchestrations}. */
export interface RunOptions {
  /** Print JSON lines on stdout instead of text. */
  json?: boolean;
  /** Shut down once every orchestration is idle (its pipeline completed, nothing in flight) instead of waiting for a signal. */
  exitWhenIdle?: boolean;
}

type Stop = { signal: NodeJS.Signals } | { idle: true };

/**
 * Runs an entry. Start results go to stdout, one line each (`started <id> minion=<ref>
 * pipeline=<ref> resumed=<n>`, or with `json` `{"event":"started","orchestrationId",...}`);
 * progress notes go to stderr.
 *
 * Signals: the first SIGINT or SIGTERM (also during the starts) begins `gru.shutdown()`, which
 * stops every orchestration gracefully (in-flight workflows get the stop grace, then are
 * checkpointed) and closes the store, logger and metrics; a second one exits at once with code 1.
 *
 * The entry's orchestrations start as one unit (`gru.startOrchestrations`): every one attaches
 * before a shared pipeline produces its first event, and all start or none.
 *
 * @throws CliError (exit 1) when the Gru cannot be created or an orchestration fails to start
 *   (the others of the entry are rolled back), or when the shutdown reports an error.
 */
export async function runOrchestrations(entry: RunEntry, options: RunOptions = {}): Promise<void> {
  const say = (line: string): void => { process.stderr.write(`minions: ${line}\n`); };
  let gru: Gru | undefined;
  let stop!: (why: Stop) => void;
  const stopped = new Promise<Stop>((resolve) => { stop = resolve; });
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      say(`${signal} received again: exiting without waiting for the shutdown`);
      process.exit(1);
    }
    say(`${signal} received: shutting down gracefully (send it again to exit at once)`);
    stop({ signal });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const keepAlive = setInterval(() => undefined, 1 << 30);
  try {
    try {
      gru = await entry.api.Gru.create({ ...entry.gruOptions, handleSignals: false });
    } catch (e) {
      throw new CliError(`cannot create the Gru: ${(e as Error).message}`, undefined, { cause: e });
    }
    if (signals === 0) {
      // One unit (all attach before a shared pipeline produces; all start or none).
      let results: StartResult[];
      try {
        results = await gru.startOrchestrations(entry.orchestrations);
      } catch (e) {
        const what = entry.orchestrations.length === 1
          ? `${describe(entry.orchestrations[0].minion)} on ${describe(entry.orchestrations[0].pipeline)}`
          : `the entry's ${entry.orchestrations.length} orchestrations (none was started)`;
        throw new CliError(`cannot start ${what}: ${(e as Error).message}`, undefined, { cause: e });
      }
      results.forEach((result, i) => {
        const spec = entry.orchestrations[i];
        const fields = { minion: describe(spec.minion), pipeline: describe(spec.pipeline), ...result };
        process.stdout.write(options.json
          ? `${JSON.stringify({ event: 'started', ...fields })}\n`
          : `${result.alreadyRunning ? 'already running' : 'started'} ${result.orchestrationId} minion=${fields.minion} pipeline=${fields.pipeline} resumed=${result.resumedWorkflows}\n`);
      });
    }
    if (signals === 0) {
      say(`running ${entry.orchestrations.length} orchestration(s)${options.exitWhenIdle ? ' until idle' : '; press Ctrl-C (SIGINT) or send SIGTERM to stop'}`);
      if (options.exitWhenIdle) void gru.whenIdle().then(() => stop({ idle: true }), () => stop({ idle: true }));
      const why = await stopped;
      if ('idle' in why) say('all orchestrations are idle: shutting down');
    }
  } finally {
    clearInterval(keepAlive);
    try {
      await gru?.shutdown();
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ event: 'shutdown' })}\n`);
  say('shut down');
}

/** A class by name, a module path relative to the working directory when inside it. */
function describe(ref: unknown): string {
  if (typeof ref === 'function') return ref.name;
  const relative = path.relative(process.cwd(), String(ref));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : String(ref);
}
