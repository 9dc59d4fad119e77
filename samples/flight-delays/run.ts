import { join } from 'node:path';
import { Gru, PostgresStateStore, SqliteStateStore, WinstonLogger, type Logger, type Metrics, type StateStore } from 'minions';
import { readTotals, type AlertTotals } from './alert-log';
import { DelayAlert } from './delay-alert';
import { FlightFeed } from './feed';
import { JetStreamFlightFeed } from './jetstream-feed';
import type { RunStats } from './run-stats';
import type { SampleSettings } from './settings';

/** How to run the sample in this process. */
export interface RunOptions {
  settings: SampleSettings;
  /** Default: {@link sampleStateStore} (`<dataDir>/minions.db`, or the PostgreSQL of `--state`); `null`: no checkpoints. */
  stateStore?: StateStore | null;
  /** Default: `WinstonLogger` writing under `<dataDir>/logs`. */
  logger?: Logger;
  /** Default: none. */
  metrics?: Metrics | null;
  /** Aborting it stops the run early (SIGINT/SIGTERM): shutdown is graceful and resumable. */
  signal?: AbortSignal;
  /** How long the disk may stay full before the run ends (ms); default the runtime's (5 min). */
  diskFullTimeoutMs?: number;
  /**
   * Called once the orchestration runs. `adminUrl` is where the admin API answers (beside
   * `/metrics` on the metrics server), `undefined` without a metrics server; its token is in
   * `adminTokenFile` (`<dataDir>/admin.token`).
   */
  onStarted?: (info: { orchestrationId: string; resumedWorkflows: number; adminUrl?: string; adminTokenFile: string }) => void;
}

/** What a run did. */
export interface RunResult {
  /** Totals over every run on this data directory (or PostgreSQL schema: every worker's). */
  totals: AlertTotals;
  /** This run's counters. */
  stats: RunStats;
  /** Wall time of this run, from `Gru.create` to the end of shutdown. */
  seconds: number;
  /** Workflows resumed from checkpoints of an earlier, interrupted run. */
  resumedWorkflows: number;
  /** True when `signal` stopped the run before the feed was exhausted (never with `--source`: stopping is its end). */
  interrupted: boolean;
  /** Why the runtime stopped the orchestration before the feed was exhausted (a disk that stayed full). */
  failure?: Error;
}

/**
 * Runs `DelayAlert` on `FlightFeed` until the feed is exhausted and every workflow has
 * finished (or `signal` aborts), then shuts the runtime down and reads the totals. With
 * `--source nats://...` it runs on `JetStreamFlightFeed`, which never ends: until `signal` aborts.
 * @throws the runtime's error when the Gru or the orchestration cannot start (nothing stays running).
 */
export async function runFlightDelays(options: RunOptions): Promise<RunResult> {
  const { settings, signal } = options;
  const t0 = performance.now();
  let failure: Error | undefined;
  const gru = await Gru.create({
    stateStore: options.stateStore === undefined ? sampleStateStore(settings) : options.stateStore,
    logger: options.logger ?? new WinstonLogger({ dir: join(settings.dataDir, 'logs') }),
    metrics: options.metrics ?? null,
    admin: { tokenFile: adminTokenFile(settings.dataDir) },
    modules: [settings.module()],
    diskFullTimeoutMs: options.diskFullTimeoutMs,
    hooks: { orchestrationStopped: (info) => { if (info.state === 'failed') failure ??= info.error; } },
  });
  let resumedWorkflows = 0;
  let interrupted = false;
  const endless = settings.backends.source !== undefined;
  try {
    if (!signal?.aborted) {
      const pipeline = endless ? JetStreamFlightFeed : FlightFeed;
      const started = await gru.startOrchestration({ pipeline, minion: DelayAlert, config: { threshold: settings.threshold } });
      resumedWorkflows = started.resumedWorkflows;
      options.onStarted?.({ orchestrationId: started.orchestrationId, resumedWorkflows, adminUrl: gru.adminUrl, adminTokenFile: adminTokenFile(settings.dataDir) });
      await Promise.race([endless ? new Promise<void>(() => undefined) : gru.whenIdle(started.orchestrationId), abortedPromise(signal)]);
    }
    interrupted = !endless && (signal?.aborted ?? false);
  } finally {
    await gru.shutdown();
  }
  const seconds = (performance.now() - t0) / 1000;
  return { totals: await readTotals(settings.alertsStore), stats: settings.stats, seconds, resumedWorkflows, interrupted: interrupted || failure !== undefined, failure };
}

/**
 * The state store of the sample: `<dataDir>/minions.db`, committing up to 256 checkpoint writes
 * per transaction instead of the default 64. A thousand flights are in flight, each writing a
 * checkpoint before every step, so larger transactions mean fewer commits: on the machine of
 * docs/performance.md this made the whole run about a fifth faster (`minions tune sqlite`
 * measures it on yours). With `--state postgres://...`, the table `minions_workflows` of the
 * chosen schema, which every worker shares.
 */
export function sampleStateStore(settings: SampleSettings): SqliteStateStore | PostgresStateStore {
  const pg = settings.backends.state;
  if (pg) return new PostgresStateStore({ url: pg.url, schema: pg.schema, maxBatchSize: 256, leaseMs: pg.leaseMs });
  return new SqliteStateStore({ path: join(settings.dataDir, 'minions.db'), maxBatchSize: 256 });
}

/** `<dataDir>/admin.token`: the token of the admin API, written at each start. */
export const adminTokenFile = (dataDir: string): string => join(dataDir, 'admin.token');

/** Resolves when `signal` aborts; never for no signal. */
function abortedPromise(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
