export { Gru } from './gru';
export type { GruOptions, AdminOptions } from './gru-options';
export { registerGruAttachment, type GruAttachment, type GruAttachmentContext, type GruAttachmentFactory } from './attachments';
export type {
  ComponentRef, OrchestrationSpec, AnyOrchestrationSpec, StartResult, StopResult, OrchestrationState, OrchestrationSnapshot, GruSnapshot, ResourceSnapshot,
} from './orchestration-spec';
export type { SavedWorkflow, SavedWorkflowState, WorkflowQuery } from './saved-workflows';
