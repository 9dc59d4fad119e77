export { Gru } from './gru';
export type { GruOptions } from './gru-options';
export type {
  ComponentRef, OrchestrationSpec, AnyOrchestrationSpec, StartResult, StopResult, OrchestrationState, OrchestrationSnapshot, GruSnapshot, ResourceSnapshot,
} from './orchestration-spec';
export type { SavedWorkflow, SavedWorkflowState, WorkflowQuery } from './saved-workflows';
