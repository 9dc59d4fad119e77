import type { Container } from 'inversify';
import type { Pipeline } from '../core/components/pipeline';
import { PipelineRunner } from '../core/fanout/pipeline-runner';
import { ComponentLifecycle, componentLifecycleOptions } from '../core/lifecycle/component-lifecycle';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { constructComponent, resourceDependencies, SharedInstances, type ResourceRegistry, type SharedEntry } from '../di';

interface PipelineEntry extends SharedEntry<PipelineRunner> {
  lifecycle?: ComponentLifecycle;
  runner?: PipelineRunner;
}

/**
 * Running pipelines by identity: one instance shared by every
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
      const instance = constructComponent<Pipeline<unknown>>(this.container, entry.cls, 'pipeline');
      entry.lifecycle = new ComponentLifecycle(instance, entry.cls.name, componentLifecycleOptions(this.services, 'pipeline', fields));
      await entry.lifecycle.start();
      entry.runner = new PipelineRunner(instance, entry.identity, this.services, (e) => this.onFailed(entry.identity, e));
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
    try { await entry.ready; } catch { return []; }
    const errors = await entry.lifecycle!.stop(async () => { await entry.runner!.stop(); return []; });
    errors.push(...(await this.resources.releaseAll(resourceDependencies(entry.cls))));
    return errors;
  }

  snapshot(): Array<{ identity: string; className: string; subscribers: number; ended: boolean }> {
    return this.running.values().map((e) => ({
      identity: e.identity, className: e.cls.name, subscribers: e.runner?.subscriberCount ?? 0, ended: e.runner?.hasEnded ?? false,
    }));
  }
}
