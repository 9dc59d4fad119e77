/**
 * The wire protocol between the runtime (parent) and the host of an isolated resource (a worker
 * thread or a child process). Messages cross by structured clone: `postMessage` for workers,
 * `fork` with `serialization: 'advanced'` for children.
 */
import type { WireError } from './error-transport';

/** A constructor argument as the host rebuilds it: plain data, or another isolated resource. */
export type WireArgument =
  | { kind: 'value'; value: unknown }
  | { kind: 'resource'; index: number; className: string; methods: string[] };

/** Parent to host. */
export type ToHost =
  /** Load `moduleFile`, find the export `className`, construct it and run its `startup()`. */
  | { type: 'init'; moduleFile: string; className: string; args: WireArgument[]; rssIntervalMs?: number }
  /** Call `method(...args)`; `orchestrationId` is passed on to the host's own dependency calls. */
  | { type: 'call'; id: number; method: string; args: unknown[]; orchestrationId: string }
  /** Answer to a host's call on one of its isolated dependencies. */
  | { type: 'dep-result'; id: number; ok: true; value: unknown }
  | { type: 'dep-result'; id: number; ok: false; error: WireError }
  /** Run `shutdown()`, reply `stopped`, then exit. */
  | { type: 'shutdown' };

/** Host to parent. */
export type FromHost =
  /** `startup()` resolved; the class's `run()` loop, if any, has started. */
  | { type: 'ready' }
  /** Loading, constructing or `startup()` failed: the host exits after this. */
  | { type: 'init-failed'; error: WireError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: WireError }
  /** A call on an isolated dependency (`index`: constructor parameter index). */
  | { type: 'dep-call'; id: number; index: number; method: string; args: unknown[]; orchestrationId: string }
  /** The class's `run()` settled before the stop (`error` when it rejected). */
  | { type: 'run-ended'; error?: WireError }
  /** Resident set size of the child process, bytes (children only, every `rssIntervalMs`). */
  | { type: 'rss'; bytes: number }
  /** `shutdown()` finished (`error` when it threw); the host exits next. */
  | { type: 'stopped'; error?: WireError };
