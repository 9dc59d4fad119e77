export { Gru } from './gru';
export type { GruOptions } from './gru-options';
export type {
  ComponentRef, OrchestrationSpec, AnyOrchestrationSpec, StartResult, StopResult, OrchestrationState, OrchestrationSnapshot, GruSnapshot,
} from './orchestration-spec';
