import { Container, type ContainerModule } from 'inversify';
import { Logger } from '../core/ports/logger';
import { Metrics } from '../core/ports/metrics';
import { StateStore } from '../core/ports/state-store';
import type { ComponentKind } from '../core/errors';
import { markFailureSite } from '../core/lifecycle/failure-site';

/** The three ports as one container resolved them. */
export interface InfraPorts {
  stateStore: StateStore;
  logger: Logger;
  metrics: Metrics;
}

/** How each port is chosen: an explicit instance, else the modules' binding, else `fallback()`. */
export type PortChoice<T> = { explicit?: T; fallback: () => T };

/**
 * The per-Gru Inversify container, the one source of truth for the ports: an
 * explicit `GruOptions` field wins, then a binding from `modules`, then the default, which is
 * built only when nothing else binds its port. Each port ends up bound to one constant
 * instance, so the runtime and every component share it even when a module bound a class.
 */
export function createContainer(
  modules: ContainerModule[],
  ports: { stateStore: PortChoice<StateStore>; logger: PortChoice<Logger>; metrics: PortChoice<Metrics> },
): { container: Container; ports: InfraPorts } {
  const container = new Container();
  container.loadSync(...modules);
  const resolve = <T>(token: abstract new (...args: never[]) => T, choice: PortChoice<T>): T => {
    let instance = choice.explicit;
    if (instance === undefined) instance = container.isBound(token) ? container.get<T>(token) : choice.fallback();
    if (container.isBound(token)) container.unbindSync(token);
    container.bind<T>(token).toConstantValue(instance);
    return instance;
  };
  return {
    container,
    ports: {
      stateStore: resolve(StateStore, ports.stateStore),
      logger: resolve(Logger, ports.logger),
      metrics: resolve(Metrics, ports.metrics),
    },
  };
}

/** Constructs a minion or pipeline through the container (transient: one per start). */
export function constructComponent<T>(container: Container, cls: Function, kind: ComponentKind): T {
  if (!container.isBound(cls as never)) container.bind(cls as never).toSelf();
  return constructAt(() => container.get(cls as never) as T, cls.name, kind);
}

/** Runs a construction, remembering a failure as the component's, at stage `construct`. */
export function constructAt<T>(construct: () => T, component: string, kind: ComponentKind): T {
  try {
    return construct();
  } catch (e) {
    markFailureSite(e, { component, kind, stage: 'construct' });
    throw e;
  }
}
