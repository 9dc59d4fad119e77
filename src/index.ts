/**
 * Minions for TypeScript: the public face. Re-exports only.
 * @packageDocumentation
 * @module minions
 */
export { Gru } from './gru';
export type {
  GruOptions, ComponentRef, OrchestrationSpec, AnyOrchestrationSpec, StartResult, StopResult, OrchestrationState, OrchestrationSnapshot, GruSnapshot, ResourceSnapshot,
  SavedWorkflow, SavedWorkflowState, WorkflowQuery, AdminOptions,
} from './gru';
// Loading the admin registers it with Gru.create (on by default; see GruOptions.admin).
export { AdminServer, ADMIN_MAX_BODY_BYTES, type AdminErrorBody } from './admin';
export { Minion, RESERVED_MINION_FIELDS, type AnyMinionClass } from './core/components/minion';
export { Pipeline } from './core/components/pipeline';
export { Resource } from './core/components/resource';
export type { WorkflowHandle } from './core/scope';
export type { WorkflowOutcome } from './core/workflow/outcome';
export { minion, pipeline, resource, step, untracked, inject } from './decorators';
export type { MinionClass, MinionOptions, MinionOptionsWithConfig, PipelineOptions, ResourceOptions, StepOptions, StepRetryOptions } from './decorators';
export type { IsolationKind, IsolationOptions } from './core/metadata';
export { ContainerModule } from 'inversify';
export { StateStore, type OrchestrationSummary, type StoredContext, type ContextClaim } from './core/ports/state-store';
export type { Delivery, DeliveryVerdict, RetryReason } from './core/fanout/delivery';
export { Logger, type LogLevel } from './core/ports/logger';
export { Metrics } from './core/ports/metrics';
export { METRICS, RENAMED_FROM_REFERENCE, type MetricDefinition, type MetricKind } from './core/metric-names';
export {
  MinionsError, GruAlreadyRunningError, InvalidComponentError, ResourceCycleError, ConfigError,
  WorkflowContextTypeMismatchError, OrchestrationStartError, OrchestrationNotFoundError, ResourceNotFoundError, WorkflowNotFoundError, SerializationError, AbortWorkflow,
  StartupTimeoutError, ShutdownTimeoutError, StateStoreLockedError, StateStoreOpenError, DiskFullError, IsolatedResourceCrashedError,
  InvalidOptionError, InvalidArgumentError, GruShutDownError, StateStoreClosedError, OutsideWorkflowError, ConfigNotBoundError,
  StepCalledFromStepError, MetricContractError, RunReturnedError, TasksAbandonedError, WorkflowsAbandonedError,
  NonErrorThrownError, BufferOverflowError, WorkflowInterruptedError, InternalError,
  MemoryPressureError, JetStreamError, type JetStreamProblem,
  type ComponentKind, type LifecycleStage, type MinionsErrorOptions, type StateStoreFileProblem, type StateStoreServer,
} from './core/errors';
export { ERROR_CODES, type ErrorCode } from './core/error-codes';
export { infraModule, type InfraBindings } from './di';
export * from './infra';
export type { WorkflowHooks, StepStartInfo, WorkflowEndInfo, OrchestrationStopInfo } from './core/workflow/workflow-hooks';
export type { PersistencePolicy, PersistenceRetryOptions, WorkflowFailurePolicy } from './core/runtime/runtime-services';
export type { BackoffOptions } from './core/runtime/backoff';
export type { OverflowPolicy } from './core/fanout/subscriber-buffer';
export { describeComponent, type ComponentDescription } from './core/describe-component';
export { isDiskFull } from './core/runtime/disk-full';
// Tooling: what the CLI and other tools read without loading user code.
export { decodeCheckpoint, CheckpointDecodeError, type CheckpointEnvelope, type CheckpointFailure } from './core/codec/checkpoint-codec';
export { MAX_CHECKPOINT_DEPTH } from './core/codec/persistable-value';
export { isCanonicalUuid } from './core/identity/component-id';
export { CONFIG_ID_KEY } from './core/identity/config-identity';
export { orchestrationId } from './core/identity/orchestration-id';
export { parseConfigText } from './gru/config-source';
export { readStoreOwner, type StoreOwner } from './infra/store-owner-file';
