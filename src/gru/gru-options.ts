import type { ContainerModule } from 'inversify';
import { InvalidOptionError } from '../core/errors';
import type { Logger } from '../core/ports/logger';
import type { Metrics } from '../core/ports/metrics';
import type { StateStore } from '../core/ports/state-store';
import type { BackoffOptions } from '../core/runtime/backoff';
import type { PersistencePolicy, PersistenceRetryOptions, RuntimeOptions, WorkflowFailurePolicy } from '../core/runtime/runtime-services';
import type { WorkflowHooks } from '../core/workflow/workflow-hooks';
import type { OverflowPolicy } from '../core/fanout/subscriber-buffer';
import { DEFAULT_MEMORY_RESUME_RATIO } from '../core/fanout/memory-guard';

/**
 * Options of the admin API (`GruOptions.admin`): HTTP routes to see and steer the running Gru
 * (`GET /healthz`, `/readyz`, `/status`, `/workflows`; `POST /orchestrations`,
 * `/orchestrations/:id/drain|stop|restart`, `/resources/:id/restart`, `/workflows/:id/retry`;
 * `DELETE /workflows/:id`), and a status page at `GET /`. Every route but `GET /healthz` and
 * `GET /` needs `Authorization: Bearer <token>`.
 */
export interface AdminOptions {
  /**
   * TCP port of a server of the admin's own (`0`: a free one; read it from `Gru.adminUrl`).
   * Default: none; the admin is served by the metrics server (`PrometheusMetrics`) beside
   * `/metrics`, on its host and port. Without that server (`metrics: null`, another `Metrics`,
   * or a metrics server that could not listen) and without `port`, the admin is off (one info log line says so).
   */
  port?: number;
  /**
   * Interface of the admin's own server. Default `'127.0.0.1'`. Setting it is the only way to
   * serve the admin on an interface other than loopback: without it, a non-loopback host (of
   * the metrics server, when the admin shares it) fails `Gru.create` with `InvalidOptionError`.
   * Anyone who can reach a non-loopback port and holds the token can start, stop and drain
   * orchestrations, restart resources and delete saved workflows: put it behind a network you
   * trust. Without `port`, it must be the metrics server's host (that acknowledges its exposure).
   */
  host?: string;
  /**
   * The bearer token, for a token managed by you (then no file is written unless `tokenFile` is set).
   * Default: a new random token at each start (32 bytes, base64url), written to `tokenFile`.
   */
  token?: string;
  /**
   * File the token is written to (mode 0600, replaced atomically at each start; its directory
   * is created). Default `<state dir>/admin.token`: the directory of the `SqliteStateStore`'s
   * file, else the working directory. The log line saying where the admin listens names this
   * file, never the token.
   */
  tokenFile?: string;
}

/** Options of `Gru.create`. Every field is optional; defaults below. */
export interface GruOptions {
  /** Default `new SqliteStateStore({ path: 'minions.db' })`; `null`: no persistence (NoOpStateStore). */
  stateStore?: StateStore | null;
  /** Default `new WinstonLogger()`: JSON lines under `logs/`, warnings and errors also to stderr. */
  logger?: Logger;
  /** Default `new PrometheusMetrics()` serving `GET /metrics` on 127.0.0.1:8081; `null`: none. */
  metrics?: Metrics | null;
  /**
   * Extra Inversify bindings, loaded into the Gru's container. A module may bind the ports
   * `StateStore`, `Logger`, `Metrics` (`infraModule({...})` or a hand-written `ContainerModule`):
   * the runtime and the components then use that instance and no default is built for it. For
   * each port, an explicit field above wins over a module's binding, which wins over the default.
   */
  modules?: ContainerModule[];
  /** What a workflow does when a checkpoint save fails; see {@link PersistencePolicy}. Default `'continue-on-failure'`. */
  workflowPersistenceFailurePolicy?: PersistencePolicy;
  /**
   * What happens to the checkpoint of a workflow that ends `failed`. `'delete'` (default): it is
   * removed. `'keep'`: it stays in the store as it was saved before the failed step, marked failed
   * with the error's type, message and step name; it is never resumed on its own (starts skip it),
   * `Gru.listWorkflows({ state: 'failed' })` and `minions inspect` list it, `Gru.retryWorkflow(id)`
   * runs it again from the failed step and `Gru.deleteWorkflow(id)` removes it. Not kept: aborted
   * workflows (`AbortWorkflow`) and those that failed with a `SerializationError` (their context
   * cannot be saved). A kept workflow still counts in `minion_workflow_failed_total`.
   * @throws InvalidOptionError (from `Gru.create`) for any other value.
   */
  workflowFailurePolicy?: WorkflowFailurePolicy;
  /**
   * Backoff of checkpoint retries; see {@link PersistenceRetryOptions}. Each field is optional:
   * `delayMs` (ms, default 1000), `multiplier` (default 2), `maxDelayMs` (ms, default 60000),
   * `jitterRatio` (fraction, default 0.1), `warnEveryMs` (ms, default 30000), `errorAfterMs`
   * (ms or `null` for never, default 60000).
   */
  persistenceRetry?: Partial<PersistenceRetryOptions>;
  /**
   * Backoff of a pipeline whose `produceEvent()` rejects: the next call waits, and the wait grows
   * with each failure in a row; a successful call resets it. A stop during a wait ends it at once.
   * Each field is optional: `delayMs` (ms before the first retry, default 1000), `multiplier`
   * (factor per further failure, default 2), `maxDelayMs` (ms, cap of the wait before jitter,
   * default 60000), `jitterRatio` (fraction: each wait is spread by ± this share of it, default
   * 0.1). Every failure is counted in `pipeline_error_total`; the log line is written at most
   * once every 10 s per pipeline and error type, with the count of those not written.
   */
  producerRetry?: Partial<BackoffOptions>;
  /** Default 1000 ms: in-flight workflows may finish before `this.signal` aborts. */
  stopGraceMs?: number;
  /**
   * Default 30000 ms: how long `drainOrchestration` (and the drain of a restart) lets the
   * orchestration finish the events it already took and its in-flight workflows before it stops
   * as `stopOrchestration` does (`stopGraceMs`, then `this.signal` aborts; interrupted workflows
   * keep their checkpoints and resume at the next start). `null`: wait as long as they take.
   */
  drainTimeoutMs?: number | null;
  /** Default 1000 ms: then a workflow ignoring the signal is abandoned. */
  cancelTimeoutMs?: number;
  /**
   * Default 30000 ms: one deadline for the whole shutdown, and for each component's
   * `shutdown()` hook (a hung one is reported as a `ShutdownTimeoutError` and left behind).
   */
  shutdownTimeoutMs?: number;
  /**
   * Default 30000 ms: deadline of each component's `startup()` hook (resources, pipelines,
   * minions, and the store, logger and metrics). Past it the start fails with a
   * `StartupTimeoutError` naming the class, its kind and the stage, and is rolled back.
   */
  startupTimeoutMs?: number;
  /** Default 1000 workflows in flight per orchestration. */
  maxInFlight?: number;
  /** Default 1024 events per subscriber buffer. */
  bufferSize?: number;
  /**
   * What a push source (an Observable) does when a subscriber's buffer is full: `'drop-oldest'`
   * (default; drops are counted and logged) or `'error'` (that orchestration stops; the shared
   * source and its other subscribers go on). Pull sources never overflow. Per orchestration:
   * `OrchestrationSpec.overflowPolicy`.
   */
  overflowPolicy?: OverflowPolicy;
  /**
   * Default 300000 ms (5 min): how long the disk may stay full. While a checkpoint or a step
   * fails with a full disk (SQLITE_FULL, ENOSPC), intake pauses and in-flight workflows wait and
   * retry; past this deadline every orchestration is stopped with a `DiskFullError` (state
   * `failed`; unfinished workflows keep their checkpoints and resume on the next start).
   * `null`: wait for space forever.
   */
  diskFullTimeoutMs?: number | null;
  /** Default false; true: SIGINT/SIGTERM trigger `shutdown()`. */
  handleSignals?: boolean;
  /**
   * The memory guard's soft limit as a fraction, in (0, 1], of the container's memory limit: the
   * `memory.max` of the process's cgroup (v2), else `memory.limit_in_bytes` (v1), read once at
   * `Gru.create`. With no such limit (not in a container, or an unlimited one) it is a fraction
   * of total system memory (`os.totalmem()`), and a warn line says so. Above the soft limit (process
   * RSS, sampled every 250 ms) pull pipelines are not asked for more events and new orchestration
   * starts are refused with `MemoryPressureError`, until RSS falls below `memoryResumeRatio` × the
   * limit; a gauge and a log line mark each crossing. Default: off (unless `memorySoftLimitMiB` is set).
   * @throws InvalidOptionError (from `Gru.create`) for a value outside (0, 1], or when
   *   `memorySoftLimitMiB` is set too.
   */
  memorySoftLimit?: number;
  /**
   * The memory guard's soft limit as an absolute RSS, MiB (a positive number); the same guard as
   * {@link memorySoftLimit}, which it excludes. Default: off.
   * @throws InvalidOptionError (from `Gru.create`) for a value that is not a positive number.
   */
  memorySoftLimitMiB?: number;
  /**
   * The lower mark of the memory guard, as a fraction in (0, 1] of its soft limit: once tripped,
   * the guard lifts only when RSS falls below it, so that it does not flap around the limit.
   * `1`: lift as soon as RSS is back at or below the limit. Default 0.9.
   * @throws InvalidOptionError (from `Gru.create`) for a value outside (0, 1].
   */
  memoryResumeRatio?: number;
  /** Observation points of every workflow (tests, tracing); see {@link WorkflowHooks}. Default none. */
  hooks?: WorkflowHooks;
  /**
   * The admin API; see {@link AdminOptions}. Default on: served beside `/metrics` by the default
   * `PrometheusMetrics` (loopback), with a fresh token in `<state dir>/admin.token`; `false`: off.
   * Its URL is `Gru.adminUrl`.
   * @throws (from `Gru.create`) InvalidOptionError for a bad field, or a non-loopback host not
   *   set explicitly in `admin.host`.
   */
  admin?: AdminOptions | false;
}

function positive(name: string, v: number | undefined, def: number, allowZero = false): number {
  if (v === undefined) return def;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new InvalidOptionError(`GruOptions.${name}`, v, `a ${allowZero ? 'non-negative' : 'positive'} number`);
  }
  return v;
}

/** Checks an overflow policy option. @throws InvalidOptionError naming the option. */
export function overflowPolicy(v: unknown, name: string): OverflowPolicy | undefined {
  if (v === undefined || v === 'drop-oldest' || v === 'error') return v;
  throw new InvalidOptionError(name, v, "'drop-oldest' or 'error'");
}

function fraction(name: string, v: number | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1) throw new InvalidOptionError(`GruOptions.${name}`, v, 'a fraction in (0, 1]');
  return v;
}

/** The memory guard's options, checked. @throws InvalidOptionError naming a bad option. */
function memoryOptions(o: GruOptions): { memorySoftLimit?: number; memorySoftLimitMiB?: number; memoryResumeRatio: number } {
  const memorySoftLimit = fraction('memorySoftLimit', o.memorySoftLimit);
  const memorySoftLimitMiB = o.memorySoftLimitMiB === undefined ? undefined : positive('memorySoftLimitMiB', o.memorySoftLimitMiB, 0);
  if (memorySoftLimit !== undefined && memorySoftLimitMiB !== undefined) {
    throw new InvalidOptionError('GruOptions.memorySoftLimit', memorySoftLimit, 'left out when memorySoftLimitMiB is set (give one of the two)');
  }
  return { memorySoftLimit, memorySoftLimitMiB, memoryResumeRatio: fraction('memoryResumeRatio', o.memoryResumeRatio) ?? DEFAULT_MEMORY_RESUME_RATIO };
}

/** Resolves the engine's tunables with their defaults. @throws InvalidOptionError naming a bad option. */
export function resolveRuntimeOptions(o: GruOptions): RuntimeOptions & {
  memorySoftLimit?: number; memorySoftLimitMiB?: number; memoryResumeRatio: number; diskFullTimeoutMs: number | null;
} {
  const r = o.persistenceRetry ?? {};
  const policy = o.workflowPersistenceFailurePolicy ?? 'continue-on-failure';
  if (policy !== 'continue-on-failure' && policy !== 'idle-until-persisted') {
    throw new InvalidOptionError('GruOptions.workflowPersistenceFailurePolicy', policy, "'continue-on-failure' or 'idle-until-persisted'");
  }
  const workflowFailurePolicy = o.workflowFailurePolicy ?? 'delete';
  if (workflowFailurePolicy !== 'delete' && workflowFailurePolicy !== 'keep') {
    throw new InvalidOptionError('GruOptions.workflowFailurePolicy', workflowFailurePolicy, "'delete' or 'keep'");
  }
  const p = o.producerRetry ?? {};
  return {
    policy,
    workflowFailurePolicy,
    producerRetry: {
      delayMs: positive('producerRetry.delayMs', p.delayMs, 1000, true),
      multiplier: positive('producerRetry.multiplier', p.multiplier, 2),
      maxDelayMs: positive('producerRetry.maxDelayMs', p.maxDelayMs, 60_000, true),
      jitterRatio: positive('producerRetry.jitterRatio', p.jitterRatio, 0.1, true),
    },
    retry: {
      delayMs: positive('persistenceRetry.delayMs', r.delayMs, 1000, true),
      multiplier: positive('persistenceRetry.multiplier', r.multiplier, 2),
      maxDelayMs: positive('persistenceRetry.maxDelayMs', r.maxDelayMs, 60_000, true),
      jitterRatio: positive('persistenceRetry.jitterRatio', r.jitterRatio, 0.1, true),
      warnEveryMs: positive('persistenceRetry.warnEveryMs', r.warnEveryMs, 30_000, true),
      errorAfterMs: r.errorAfterMs === null ? null : positive('persistenceRetry.errorAfterMs', r.errorAfterMs, 60_000, true),
    },
    stopGraceMs: positive('stopGraceMs', o.stopGraceMs, 1000, true),
    cancelTimeoutMs: positive('cancelTimeoutMs', o.cancelTimeoutMs, 1000, true),
    shutdownTimeoutMs: positive('shutdownTimeoutMs', o.shutdownTimeoutMs, 30_000),
    startupTimeoutMs: positive('startupTimeoutMs', o.startupTimeoutMs, 30_000),
    drainTimeoutMs: o.drainTimeoutMs === null ? Infinity : positive('drainTimeoutMs', o.drainTimeoutMs, 30_000, true),
    diskFullTimeoutMs: o.diskFullTimeoutMs === null ? null : positive('diskFullTimeoutMs', o.diskFullTimeoutMs, 300_000),
    maxInFlight: Math.floor(positive('maxInFlight', o.maxInFlight, 1000)),
    bufferSize: Math.floor(positive('bufferSize', o.bufferSize, 1024)),
    overflowPolicy: overflowPolicy(o.overflowPolicy, 'GruOptions.overflowPolicy') ?? 'drop-oldest',
    ...memoryOptions(o),
  };
}
