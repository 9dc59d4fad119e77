export { minion, type MinionClass, type MinionOptions, type MinionOptionsWithConfig } from './minion';
export { pipeline, type PipelineOptions } from './pipeline';
export { resource, type ResourceOptions } from './resource';
export { step, type StepOptions, type StepRetryOptions } from './step';
export { untracked } from './untracked';
export { inject } from './inject';
