import { collectSteps, componentIdentity, getComponentMeta, type ComponentKind } from './metadata';

/** What a decorated component class declares, as {@link describeComponent} reports it. */
export interface ComponentDescription {
  kind: ComponentKind;
  /** The identity the runtime uses: the explicit id, else the fallback address `file:Class`. */
  identity: string;
  /** The explicit `id` of the decorator, if any. */
  id?: string;
  /** `<relative file>:<ClassName>` where the decorator ran. */
  fallbackAddress: string;
  event?: new () => unknown;
  context?: new () => unknown;
  config?: new () => unknown;
  /** Step names in run order (minions only). */
  steps: string[];
}

/**
 * Reads what `@minion`, `@pipeline` or `@resource` recorded on a class (tools, tests, the CLI).
 * @returns undefined for a class that was not decorated.
 */
export function describeComponent(cls: Function): ComponentDescription | undefined {
  const meta = getComponentMeta(cls);
  if (!meta) return undefined;
  return {
    kind: meta.kind, identity: componentIdentity(cls), id: meta.id, fallbackAddress: meta.fallbackAddress,
    event: meta.event, context: meta.context, config: meta.config,
    steps: meta.kind === 'minion' ? collectSteps(cls).map((s) => s.name) : [],
  };
}
