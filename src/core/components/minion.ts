import { ConfigNotBoundError, OutsideWorkflowError } from '../errors';
import { executionScope, type WorkflowHandle } from '../scope';
import { ComponentBase, componentRuntime } from './component-base';

declare const typeBrand: unique symbol;

/**
 * Base class of minions: `@step` methods run in order for each event,
 * sharing one context. One instance per orchestration serves all its concurrent workflows,
 * so per-workflow state lives only in `this.context`.
 *
 * @typeParam E - event class; @typeParam C - context class; @typeParam Cfg - config class (`never` without config).
 */
export abstract class Minion<E, C, Cfg = never> extends ComponentBase {
  /** Type-level only: makes E, C and Cfg invariant so decorator/base mismatches fail to compile. */
  declare readonly [typeBrand]?: (types: [E, C, Cfg]) => [E, C, Cfg];

  /** The workflow's event, deep-frozen and shared by every subscriber. @throws OutsideWorkflowError outside a step. */
  get event(): E {
    const s = executionScope.getStore();
    if (!s || s.event === undefined) throw new OutsideWorkflowError('event');
    return s.event as E;
  }

  /** The workflow's context, checkpointed before every step. @throws OutsideWorkflowError outside a step. */
  get context(): C {
    const s = executionScope.getStore();
    if (!s || s.context === undefined) throw new OutsideWorkflowError('context');
    return s.context as C;
  }

  /** `{ orchestrationId, workflowId }` of the running workflow, frozen. @throws OutsideWorkflowError outside a step. */
  get workflow(): WorkflowHandle {
    const s = executionScope.getStore();
    if (!s || !s.workflow) throw new OutsideWorkflowError('workflow');
    return s.workflow;
  }

  /** Aborted when the orchestration stops and the grace period has passed. @throws OutsideWorkflowError outside a step. */
  get signal(): AbortSignal {
    const s = executionScope.getStore();
    if (!s || !s.signal) throw new OutsideWorkflowError('signal');
    return s.signal;
  }

  /** The validated config, readable from `startup()` on. @throws ConfigNotBoundError before it is bound. */
  get config(): Cfg {
    const rt = componentRuntime(this);
    if (!rt.configBound) throw new ConfigNotBoundError(this.constructor.name);
    return rt.config as Cfg;
  }

  /**
   * Optional: runs once when the orchestration starts, after the minion's resources started and
   * its config is bound, before any workflow (saved ones included); deadline `startupTimeoutMs`.
   */
  startup?(): Promise<void>;
  /**
   * Optional long-lived loop beside the workflows. Settling after `signal` aborted is a normal
   * stop; settling before it is a failure that stops the orchestration (`RunReturnedError` when it resolved).
   */
  run?(signal: AbortSignal): Promise<void>;
  /** Optional: runs once when the orchestration stops, after its workflows ended or were interrupted; deadline `shutdownTimeoutMs`. */
  shutdown?(): Promise<void>;
  /** Produces the config from `configPath`; runs only for a new orchestration, after construction. */
  loadConfig?(path: string): Promise<Cfg | object>;
}

/** Accessor names an instance may not shadow with own properties. */
export const RESERVED_MINION_FIELDS = ['event', 'context', 'workflow', 'signal', 'config'] as const;

/** Any minion class, with or without a config type (`Cfg = never` needs its own arm: `any` does not fit `never`). */
export type AnyMinionClass = abstract new (...args: any[]) => Minion<any, any, any> | Minion<any, any, never>;
