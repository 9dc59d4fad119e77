import { resolve } from 'node:path';
import { JetStreamError, MinionsError, PrometheusMetrics, StateStoreLockedError, StateStoreOpenError, type PostgresStateStore, type SqliteStateStore } from 'minions';
import { checkDataDir, DataDirMismatchError } from './alert-log';
import { AlertsDbError } from './alerts-db-error';
import { USAGE_EXIT_CODE, type CliOptions } from './cli';
import { airportsFile } from './datasets';
import { InputError, openFlights, type FlightInput } from './input';
import { startProgress } from './progress';
import { runFlightDelays, sampleStateStore, type RunResult } from './run';
import { SampleSettings } from './settings';
import { buildSummary, formatSummary } from './summary';

const SIGNAL_EXIT_CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

const fail = (message: string): void => { process.stderr.write(`flight-delays: ${message}\n`); };

/** Runs the sample with validated options; resolves to the process exit code. */
export async function startSample(options: CliOptions): Promise<number> {
  let input: FlightInput;
  try {
    input = await openFlights(options.input, { limit: options.limit });
  } catch (e) {
    if (e instanceof InputError) { fail(e.message); return USAGE_EXIT_CODE; }
    throw e;
  }
  const settings = new SampleSettings(resolve(options.dataDir), input, airportsFile(), options.threshold, { state: options.state, source: options.source });
  // One process per data directory: the SQLite store's lock is taken first, so a second process
  // stops here (StateStoreLockedError, exit 1) before it reads alerts.db. A PostgreSQL store
  // takes no lock (workers share it); a server it cannot use stops here too (exit 2). The Gru
  // starts and stops this store; starting it twice is a no-op.
  const stateStore = sampleStateStore(settings);
  try {
    try {
      await stateStore.startup();
      await checkDataDir(settings);
    } catch (e) {
      const bad = badDataDir(e);
      if (bad) { fail(bad.message); return USAGE_EXIT_CODE; }
      if (e instanceof StateStoreLockedError) { fail(e.message); return 1; }
      throw e;
    }
    return await runAndReport(settings, input, options, stateStore);
  } finally {
    await stateStore.shutdown();
  }
}

/** Starts the runtime on the checked data directory; resolves to the exit code. */
async function runAndReport(settings: SampleSettings, input: FlightInput, options: CliOptions, stateStore: SqliteStateStore | PostgresStateStore): Promise<number> {
  // Nothing runs yet; from here on a signal stops the runtime gracefully.
  const stop = new AbortController();
  let signalExit = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalExit !== 0) { fail(`${signal} again: exiting without waiting.`); process.exit(signalExit); }
    signalExit = SIGNAL_EXIT_CODES[signal];
    fail(`${signal} received: stopping gracefully (send it again to exit at once)...`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const metrics = new PrometheusMetrics({ port: options.metricsPort });
  const stats = settings.stats;
  let progress = { stop: (): void => undefined };
  let result: RunResult;
  try {
    result = await runFlightDelays({
      settings, stateStore, metrics, signal: stop.signal, diskFullTimeoutMs: options.diskFullTimeout * 1000,
      onStarted: ({ resumedWorkflows, adminUrl, adminTokenFile }) => {
        const from = options.source ? `stream ${options.source.stream} at ${options.source.servers} (of ${input.path})` : input.path;
        const data = options.state ? `${settings.alertsStore.where}, logs in ${settings.dataDir}` : settings.dataDir;
        process.stderr.write(`flight-delays: ${input.count} flights from ${from}, threshold ${options.threshold} min, ` +
          `data in ${data}; ${stats.alreadyDone} already done, ${resumedWorkflows} workflows resumed; metrics ${metrics.url ? `at ${metrics.url}` : 'not served (see the warning above)'}` +
          `${adminUrl ? `; admin API at ${adminUrl} (token in ${adminTokenFile})` : ''}\n`);
        progress = startProgress(input.count, () => stats.alreadyDone + stats.processed);
      },
    });
  } catch (e) {
    progress.stop();
    const bad = badDataDir(e);
    fail(bad ? bad.message : describeFailure(e));
    return bad ? USAGE_EXIT_CODE : 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  progress.stop();
  const summary = buildSummary(result, input.count, options.threshold);
  process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
  if (result.failure) {
    fail(`${describeFailure(result.failure)} (run again with the same --data-dir once there is space: it resumes)`);
    return 1;
  }
  // A worker on a stream has no end of its own: a graceful stop is how it ends.
  return options.source ? 0 : signalExit;
}

/**
 * The data directory's fault, like a bad input file: a file in it that cannot be opened, or one
 * made by another run; likewise a `--state` or `--source` server that cannot be used. Looked for
 * in the cause chain, where the runtime puts a resource's startup error (`OrchestrationStartError`).
 */
function badDataDir(e: unknown): Error | undefined {
  for (let at = e, depth = 0; at instanceof Error && depth < 5; at = at.cause, depth++) {
    if (at instanceof AlertsDbError || at instanceof DataDirMismatchError || at instanceof StateStoreOpenError) return at;
    if (at instanceof JetStreamError) return new Error(`--source ${(at as JetStreamError).message}`);
  }
  return undefined;
}

/** The error's message, with the original cause of a runtime error (`OrchestrationStartError`). */
function describeFailure(e: unknown): string {
  const err = e as Error & { cause?: unknown };
  let message = err?.message ?? String(e);
  if (MinionsError.is(e) && err.cause instanceof Error && !message.includes(err.cause.message)) message += ` (${err.cause.message})`;
  return message;
}
