import type { ResourceSnapshot } from '../di';

export type { ResourceSnapshot };
import type { Minion } from '../core/components/minion';
import type { Pipeline } from '../core/components/pipeline';
import type { OverflowPolicy } from '../core/fanout/subscriber-buffer';

/** A component class, or a module path (from the working directory) exporting it. */
export type ComponentRef<T> = (abstract new (...args: any[]) => T) | string;

/**
 * What to run: a pipeline, a minion whose event type the pipeline's matches, and
 * optionally its config, inline or from a file (`.json`, `.yaml`/`.yml`, `.toml`, or what the minion's `loadConfig` reads).
 */
export interface OrchestrationSpec<E, Cfg> {
  /** The pipeline (class or module path); its event type must be the minion's. */
  pipeline: ComponentRef<Pipeline<NoInfer<E>>>;
  /** The minion (class or module path). */
  minion: ComponentRef<Minion<E, any, Cfg>>;
  /** Inline config, validated into the minion's config class. */
  config?: Partial<Cfg>;
  /** Config file path. */
  configPath?: string;
  /** This orchestration's overflow policy for push sources; default `GruOptions.overflowPolicy`. */
  overflowPolicy?: OverflowPolicy;
}

/**
 * Any orchestration spec, as `startOrchestrations` takes a list of them (a minion without a
 * config class has `Cfg = never`, which `any` does not cover).
 */
export type AnyOrchestrationSpec = OrchestrationSpec<any, any> | OrchestrationSpec<any, never>;

/** Result of `startOrchestration`. */
export interface StartResult {
  orchestrationId: string;
  /** True when this orchestration was already running (nothing was started). */
  alreadyRunning: boolean;
  /** Saved unfinished workflows relaunched by this start. */
  resumedWorkflows: number;
}

/** Result of `stopOrchestration`. */
export interface StopResult {
  orchestrationId: string;
  /** False only when the orchestration was already stopping or gone. */
  stopped: boolean;
  /** Workflows left with a checkpoint (interrupted or abandoned): they resume on the next start. */
  unfinishedWorkflows: number;
  /** Cleanup errors (user shutdown hooks, abandoned tasks); the orchestration is removed all the same. */
  errors: Error[];
}

/**
 * Lifecycle states of an orchestration: `starting` until its pipeline serves it, `running`,
 * `draining` (after `drainOrchestration`: it takes no new events and finishes what it took),
 * `stopping`, then `stopped`; `failed` when its start failed or a runtime failure (its minion's
 * `run()`, a resource or pipeline it depends on, a buffer overflow under policy `error`)
 * stopped it.
 */
export type OrchestrationState = 'starting' | 'running' | 'draining' | 'stopping' | 'stopped' | 'failed';

/** One orchestration as `snapshot()` shows it. */
export interface OrchestrationSnapshot {
  orchestrationId: string;
  minionId: string;
  pipelineId: string;
  configId: string;
  /** Names of the minion and pipeline classes. */
  minionClass: string;
  pipelineClass: string;
  state: OrchestrationState;
  inflightWorkflows: number;
  /** Events waiting in its subscriber buffer. */
  bufferedEvents: number;
  /** Events its buffer dropped since it started (push sources, policy `drop-oldest`). */
  droppedEvents: number;
  /** Saved workflows its start resumed. */
  resumedWorkflows: number;
  /** When it began serving events (ISO 8601), `null` while starting. */
  startedAt: string | null;
  /** Why it failed (`state` `failed`), else `null`. */
  error: { type: string; message: string } | null;
}

/** What `Gru.snapshot()` returns. */
export interface GruSnapshot {
  orchestrations: OrchestrationSnapshot[];
  pipelines: Array<{ identity: string; className: string; subscribers: number; ended: boolean }>;
  resources: ResourceSnapshot[];
}
