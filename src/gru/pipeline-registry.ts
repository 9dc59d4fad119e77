import type { Container } from 'inversify';
import { componentRuntime, stopOwnedTasks } from '../core/components/component-base';
import type { Pipeline } from '../core/components/pipeline';
import { asError } from '../core/errors';
import { PipelineRunner } from '../core/fanout/pipeline-runner';
import { errorFields } from '../core/runtime/safe-logger';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { constructComponent, resourceDependencies, SharedInstances, type ResourceRegistry, type SharedEntry } from '../di';

interface PipelineEntry extends SharedEntry<PipelineRunner> {
  instance?: Pipeline<unknown>;
  runner?: PipelineRunner;
}

/**
 * Running pipelines by identity (SEMANTICS 3, PL-05): one instance shared by every
 * orchestration using it, its resources acquired and injected before its `startup()`,
 * stopped (and its resources released) when its last subscriber leaves.
 */
export class PipelineRegistry {
  private readonly running = new SharedInstances<PipelineRunner, PipelineEntry>('pipeline');

  constructor(
    private readonly container: Container,
    private readonly resources: ResourceRegistry,
    private readonly services: RuntimeServices,
    private readonly onFailed: (identity: string, error: unknown) => void,
  ) {}

  /** The identity a class runs under. @throws InvalidComponentError when another class runs under it. */
  identityOf(cls: Function): string {
    return this.running.identityOf(cls);
  }

  /** Starts or shares the pipeline; one reference for the caller. */
  acquire(cls: Function): Promise<PipelineRunner> {
    return this.running.acquire(cls, (identity) => ({ cls, identity }), (entry) => this.start(entry));
  }

  private async start(entry: PipelineEntry): Promise<PipelineRunner> {
    const deps = resourceDependencies(entry.cls);
    const acquired: Function[] = [];
    const fields = { pipeline_id: entry.identity, pipeline_class: entry.cls.name };
    try {
      for (const d of deps) { await this.resources.acquire(d); acquired.push(d); }
      this.services.log.log('debug', 'Pipeline starting', fields);
      const instance = constructComponent<Pipeline<unknown>>(this.container, entry.cls);
      entry.instance = instance;
      componentRuntime(instance).onTaskError = (e) =>
        this.services.log.log('error', `${entry.cls.name} service task failed`, { ...fields, ...errorFields(e) });
      await instance.startup?.();
      entry.runner = new PipelineRunner(instance, entry.identity, this.services, (e) => this.onFailed(entry.identity, e));
      this.services.log.log('debug', 'Pipeline started', fields);
      return entry.runner;
    } catch (e) {
      await this.resources.releaseAll(acquired);
      throw e;
    }
  }

  /** Drops one reference; at zero stops production, runs `shutdown()`, releases resources. Never throws. */
  async release(cls: Function): Promise<Error[]> {
    const entry = this.running.release(cls);
    if (!entry) return [];
    const errors: Error[] = [];
    try { await entry.ready; } catch { return errors; }
    const fields = { pipeline_id: entry.identity, pipeline_class: entry.cls.name };
    this.services.log.log('debug', 'Pipeline stopping', fields);
    await entry.runner!.stop();
    await stopOwnedTasks(entry.instance!, this.services.options.cancelTimeoutMs);
    try {
      await entry.instance!.shutdown?.();
    } catch (e) {
      errors.push(asError(e, `${entry.cls.name}.shutdown()`));
      this.services.log.log('error', 'Pipeline shutdown failed', { ...fields, ...errorFields(e) });
    }
    errors.push(...(await this.resources.releaseAll(resourceDependencies(entry.cls))));
    this.services.log.log('debug', 'Pipeline stopped', fields);
    return errors;
  }

  snapshot(): Array<{ identity: string; className: string; subscribers: number; ended: boolean }> {
    return this.running.values().map((e) => ({
      identity: e.identity, className: e.cls.name, subscribers: e.runner?.subscriberCount ?? 0, ended: e.runner?.hasEnded ?? false,
    }));
  }
}
