export { constructorDependencies, resourceDependencies, type Dependency } from './constructor-dependencies';
export { resourceClosure } from './resource-graph';
export { ResourceRegistry, type ResourceSnapshot } from './resource-registry';
export { infraModule, type InfraBindings } from './infra-module';
export { createContainer, constructComponent, type InfraPorts } from './create-container';
export { SharedInstances, type SharedEntry } from './shared-instances';
