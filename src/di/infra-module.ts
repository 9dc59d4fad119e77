import { ContainerModule } from 'inversify';
import { Logger } from '../core/ports/logger';
import { Metrics } from '../core/ports/metrics';
import { StateStore } from '../core/ports/state-store';

/** The three infrastructure ports to bind. */
export interface InfraBindings {
  stateStore: StateStore;
  logger: Logger;
  metrics: Metrics;
}

/**
 * An Inversify `ContainerModule` binding the ports `StateStore`, `Logger` and `Metrics` (the
 * abstract classes are the tokens) to the given instances, so components receive them by
 * constructor type: `constructor(log: Logger)`.
 */
export function infraModule(bindings: InfraBindings): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(StateStore).toConstantValue(bindings.stateStore);
    bind(Logger).toConstantValue(bindings.logger);
    bind(Metrics).toConstantValue(bindings.metrics);
  });
}
