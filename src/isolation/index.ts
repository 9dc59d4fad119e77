export { assertIsolatable, createIsolatedResource, supervisorOf, type IsolatedResourceSpec } from './isolated-resource';
export { resolveIsolationOptions, type ResolvedIsolation } from './isolation-options';
