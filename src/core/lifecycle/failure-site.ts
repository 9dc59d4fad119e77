import type { ComponentKind, LifecycleStage } from '../errors';

/** Which component failed, and in which stage of its lifecycle. */
export interface FailureSite {
  component: string;
  kind: ComponentKind;
  stage: LifecycleStage;
}

/** Errors are the user's objects: the site is remembered beside them, never written onto them. */
const sites = new WeakMap<object, FailureSite>();

/**
 * Remembers where `error` happened, unless a deeper frame already did (a resource failing
 * inside a dependency's start keeps the dependency's site). Primitives are not tracked.
 */
export function markFailureSite(error: unknown, site: FailureSite): void {
  if (typeof error === 'object' && error !== null && !sites.has(error)) sites.set(error, site);
}

/** Where `error` happened, if the runtime saw it happen. */
export function failureSite(error: unknown): FailureSite | undefined {
  return typeof error === 'object' && error !== null ? sites.get(error) : undefined;
}

/** `resource Db, stage startup`: how messages name a failure site. */
export function describeFailureSite(site: FailureSite): string {
  return `${site.kind} ${site.component}, stage ${site.stage}`;
}
