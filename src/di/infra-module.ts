import { ContainerModule } from 'inversify';
import { Logger } from '../core/ports/logger';
import { Metrics } from '../core/ports/metrics';
import { StateStore } from '../core/ports/state-store';

/** The infrastructure ports to bind; a port left out keeps the default (or an explicit `GruOptions` field). */
export interface InfraBindings {
  stateStore?: StateStore;
  logger?: Logger;
  metrics?: Metrics;
}

/**
 * An Inversify `ContainerModule` binding the ports `StateStore`, `Logger` and `Metrics` (the
 * abstract classes are the tokens) to the given instances. Pass it in `GruOptions.modules`: the
 * runtime then uses these instances, components receive them by constructor type
 * (`constructor(log: Logger)`), and no default is built for a bound port. An explicit
 * `GruOptions.stateStore`/`logger`/`metrics` still wins over a binding.
 */
export function infraModule(bindings: InfraBindings): ContainerModule {
  return new ContainerModule(({ bind }) => {
    if (bindings.stateStore) bind(StateStore).toConstantValue(bindings.stateStore);
    if (bindings.logger) bind(Logger).toConstantValue(bindings.logger);
    if (bindings.metrics) bind(Metrics).toConstantValue(bindings.metrics);
  });
}
