import { Container, type ContainerModule } from 'inversify';
import { Logger } from '../core/ports/logger';
import { Metrics } from '../core/ports/metrics';
import { StateStore } from '../core/ports/state-store';
import { infraModule, type InfraBindings } from './infra-module';

/**
 * The per-Gru Inversify container: user modules first, then the three ports, which win over
 * any binding of the same tokens in those modules (API.md `GruOptions.modules`).
 */
export function createContainer(modules: ContainerModule[], infra: InfraBindings): Container {
  const container = new Container();
  container.loadSync(...modules);
  for (const token of [StateStore, Logger, Metrics]) {
    if (container.isBound(token)) container.unbindSync(token);
  }
  container.loadSync(infraModule(infra));
  return container;
}

/** Constructs a minion or pipeline through the container (transient: one per start). */
export function constructComponent<T>(container: Container, cls: Function): T {
  if (!container.isBound(cls as never)) container.bind(cls as never).toSelf();
  return container.get(cls as never) as T;
}
