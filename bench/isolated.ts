/**
 * S8: one no-op resource three ways, in process, in a worker thread, in a child process. The
 * isolated classes are exported from this module: their hosts load them from the compiled file.
 */
import 'reflect-metadata';
import { BenchContext, BenchEvent } from './components';
import { Minion, Resource, minion, resource, step } from '../src/index';

/** The in-process no-op resource. */
@resource({ id: 'b0000000-0000-4000-8000-000000000031' })
export class NoopInProcess extends Resource {
  async noop(): Promise<void> {}
}

/** The same, in a worker thread. */
@resource({ id: 'b0000000-0000-4000-8000-000000000032', isolation: 'worker' })
export class NoopWorker extends Resource {
  async noop(): Promise<void> {}
}

/** The same, in a child process. */
@resource({ id: 'b0000000-0000-4000-8000-000000000033', isolation: 'process' })
export class NoopChild extends Resource {
  async noop(): Promise<void> {}
}

/** The running resources, as the minion received them. */
export const noops: { inProcess?: NoopInProcess; worker?: NoopWorker; child?: NoopChild } = {};

/** Holds the three resources for the scenario, which calls them outside any workflow. */
@minion({ id: 'b0000000-0000-4000-8000-000000000034', event: BenchEvent, context: BenchContext })
export class NoopHolder extends Minion<BenchEvent, BenchContext> {
  constructor(inProcess: NoopInProcess, worker: NoopWorker, child: NoopChild) {
    super();
    Object.assign(noops, { inProcess, worker, child });
  }
  @step async idle() {}
}
