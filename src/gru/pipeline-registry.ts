import type { Container } from 'inversify';
import { componentRuntime, stopOwnedTasks } from '../core/components/component-base';
import type { Pipeline } from '../core/components/pipeline';
import { InvalidComponentError } from '../core/errors';
import { PipelineRunner } from '../core/fanout/pipeline-runner';
import { componentIdentity } from '../core/metadata';
import { errorFields } from '../core/runtime/safe-logger';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { constructComponent, resourceDependencies, type ResourceRegistry } from '../di';

interface PipelineEntry {
  cls: Function;
  identity: string;
  refs: number;
  ready: Promise<PipelineRunner>;
  instance?: Pipeline<unknown>;
  runner?: PipelineRunner;
}

/**
 * Running pipelines by identity (SEMANTICS 3, PL-05): one instance shared by every
 * orchestration using it, its resources acquired and injected before its `startup()`,
 * stopped (and its resources released) when its last subscriber leaves.
 */
export class PipelineRegistry {
  private readonly entries = new Map<string, PipelineEntry>();

  constructor(
    private readonly container: Container,
    private readonly resources: ResourceRegistry,
    private readonly services: RuntimeServices,
    private readonly onFailed: (identity: string, error: unknown) => void,
  ) {}

  /** The identity a class runs under, refusing a different class already running under it. */
  identityOf(cls: Function): string {
    const identity = componentIdentity(cls);
    const entry = this.entries.get(identity);
    if (entry && entry.cls !== cls) {
      throw new InvalidComponentError(`Pipeline identity ${identity} is already running from another class ${entry.cls.name}; ` +
        `${cls.name} claims it too. Give each class an explicit @pipeline({ id }).`);
    }
    return identity;
  }

  /** Starts or shares the pipeline; one reference for the caller. */
  async acquire(cls: Function): Promise<PipelineRunner> {
    const identity = this.identityOf(cls);
    const existing = this.entries.get(identity);
    if (existing) {
      existing.refs++;
      return existing.ready;
    }
    const entry: PipelineEntry = { cls, identity, refs: 1, ready: undefined as never };
    this.entries.set(identity, entry);
    entry.ready = this.start(entry).catch((e) => {
      if (this.entries.get(identity) === entry) this.entries.delete(identity);
      throw e;
    });
    return entry.ready;
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
    const entry = this.entries.get(componentIdentity(cls));
    if (!entry || entry.cls !== cls) return [];
    entry.refs--;
    if (entry.refs > 0) return [];
    this.entries.delete(entry.identity);
    const errors: Error[] = [];
    try { await entry.ready; } catch { return errors; }
    const fields = { pipeline_id: entry.identity, pipeline_class: entry.cls.name };
    this.services.log.log('debug', 'Pipeline stopping', fields);
    await entry.runner!.stop();
    await stopOwnedTasks(entry.instance!, this.services.options.cancelTimeoutMs);
    try {
      await entry.instance!.shutdown?.();
    } catch (e) {
      errors.push(e instanceof Error ? e : new Error(String(e)));
      this.services.log.log('error', 'Pipeline shutdown failed', { ...fields, ...errorFields(e) });
    }
    errors.push(...(await this.resources.releaseAll(resourceDependencies(entry.cls))));
    this.services.log.log('debug', 'Pipeline stopped', fields);
    return errors;
  }

  snapshot(): Array<{ identity: string; className: string; subscribers: number; ended: boolean }> {
    return [...this.entries.values()].map((e) => ({
      identity: e.identity, className: e.cls.name, subscribers: e.runner?.subscriberCount ?? 0, ended: e.runner?.hasEnded ?? false,
    }));
  }
}
