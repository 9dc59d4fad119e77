import type { Container } from 'inversify';
import type { Resource } from '../core/components/resource';
import { InvalidComponentError } from '../core/errors';
import { ComponentLifecycle, componentLifecycleOptions } from '../core/lifecycle/component-lifecycle';
import { constructAt } from './create-container';
import { componentIdentity, getComponentMeta } from '../core/metadata';
import { instrumentResource } from '../core/resource-tracking';
import type { RuntimeServices } from '../core/runtime/runtime-services';
import { assertIsolatable, createIsolatedResource } from '../isolation';
import { constructorDependencies, resourceDependencies } from './constructor-dependencies';
import { SharedInstances, type SharedEntry } from './shared-instances';

interface Entry extends SharedEntry<Resource> {
  instance?: Resource;
  lifecycle?: ComponentLifecycle;
  deps: Function[];
  overridden: boolean;
}

/** A running resource as `snapshot()` shows it. */
export interface ResourceSnapshot {
  identity: string;
  className: string;
  /** Owners holding it: orchestrations, pipelines and other resources. */
  refs: number;
  /** Identities of the resources it depends on (its constructor's resource parameters). */
  dependsOn: string[];
}

/**
 * Running resources by identity with reference counts: dependencies start
 * first, independent ones concurrently; each owner counts once; at zero a resource stops,
 * then releases its own dependencies in cascade; a later acquire builds a fresh instance.
 */
export class ResourceRegistry {
  private readonly running = new SharedInstances<Resource, Entry>('resource');
  /** Resource classes this registry bound itself (anything else bound is a user override). */
  private readonly ownBindings = new Set<Function>();

  /**
   * @param onRunFailed - a resource's `run()` settled before it was asked to stop.
   */
  constructor(
    private readonly container: Container,
    private readonly services: RuntimeServices,
    private readonly onRunFailed: (identity: string, error: Error) => void,
  ) {}

  /**
   * True when `GruOptions.modules` bind this resource class (a test double, say): the bound
   * value is used as the instance and its own dependencies are not started.
   */
  isOverridden(cls: Function): boolean {
    return this.container.isBound(cls as never) && !this.ownBindings.has(cls);
  }

  /** The identity a class runs under. @throws InvalidComponentError when another class runs under it. */
  identityOf(cls: Function): string {
    return this.running.identityOf(cls);
  }

  /** Starts (or shares) a resource and its dependencies; one reference for the caller. */
  async acquire(cls: Function): Promise<Resource> {
    if (!getComponentMeta(cls)) {
      throw new InvalidComponentError(`${cls.name} extends Resource but is not decorated with @resource().`);
    }
    return this.running.acquire(cls, (identity) => {
      const overridden = this.isOverridden(cls);
      return { cls, identity, overridden, deps: overridden ? [] : resourceDependencies(cls) };
    }, (entry) => this.start(entry));
  }

  private async start(entry: Entry): Promise<Resource> {
    const isolation = entry.overridden ? undefined : getComponentMeta(entry.cls)?.isolation;
    if (isolation) assertIsolatable(entry.cls, isolation, constructorDependencies(entry.cls), (c) => this.isOverridden(c));
    const results = await Promise.allSettled(entry.deps.map((d) => this.acquire(d)));
    const failed = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
    if (failed) {
      await this.releaseAll(entry.deps.filter((_, i) => results[i].status === 'fulfilled'));
      throw failed.reason;
    }
    const fields = { resource_id: entry.identity, resource_class: entry.cls.name };
    try {
      let instance: Resource;
      if (isolation) {
        // Runs in a worker or a child: the runtime holds a proxy, built from the started dependencies.
        const started = new Map(entry.deps.map((d, i) => [d, (results[i] as PromiseFulfilledResult<Resource>).value]));
        instance = constructAt(() => createIsolatedResource({
          cls: entry.cls, identity: entry.identity, isolation, deps: constructorDependencies(entry.cls),
          resolveToken: (token) => this.container.get(token as never), instanceOf: (c) => started.get(c)!, services: this.services,
        }), entry.cls.name, 'resource');
        this.bindOwn(entry.cls, instance);
      } else {
        if (!entry.overridden) this.bindOwn(entry.cls);
        instance = constructAt(() => this.container.get(entry.cls as never) as Resource, entry.cls.name, 'resource');
      }
      entry.instance = instance;
      entry.lifecycle = new ComponentLifecycle(instance, entry.cls.name,
        componentLifecycleOptions(this.services, 'resource', fields, (e) => this.onRunFailed(entry.identity, e)));
      instrumentResource(instance, entry.identity, this.services);
      await entry.lifecycle.start();
      entry.lifecycle.startRun();
      return instance;
    } catch (e) {
      if (!entry.overridden) this.unbindOwn(entry.cls);
      await this.releaseAll(entry.deps);
      throw e;
    }
  }

  /** A fresh singleton binding: the next resolution builds a new instance (or gets `value`, an isolated resource's proxy). */
  private bindOwn(cls: Function, value?: Resource): void {
    this.unbindOwn(cls);
    if (value) this.container.bind(cls as never).toConstantValue(value as never);
    else this.container.bind(cls as never).toSelf().inSingletonScope();
    this.ownBindings.add(cls);
  }

  private unbindOwn(cls: Function): void {
    if (this.ownBindings.delete(cls) && this.container.isBound(cls as never)) this.container.unbindSync(cls as never);
  }

  /** Drops one reference; at zero stops the resource and cascades. Returns cleanup errors (never throws). */
  async release(cls: Function): Promise<Error[]> {
    const entry = this.running.release(cls);
    if (!entry) return [];
    try {
      await entry.ready;
    } catch {
      return []; // its failed start already released what it held
    }
    const errors = await entry.lifecycle!.stop();
    if (!entry.overridden) this.unbindOwn(entry.cls);
    errors.push(...(await this.releaseAll(entry.deps)));
    return errors;
  }

  /** Releases several classes (reverse order) and gathers their errors. */
  async releaseAll(classes: Function[]): Promise<Error[]> {
    const errors: Error[] = [];
    for (const cls of [...classes].reverse()) errors.push(...(await this.release(cls)));
    return errors;
  }

  /** The identities a class depends on, transitively (itself included). */
  closureOf(cls: Function, into = new Set<string>()): Set<string> {
    const id = componentIdentity(cls);
    if (into.has(id)) return into;
    into.add(id);
    if (!this.isOverridden(cls)) for (const dep of resourceDependencies(cls)) this.closureOf(dep, into);
    return into;
  }

  snapshot(): ResourceSnapshot[] {
    return this.running.values().map((e) => ({
      identity: e.identity, className: e.cls.name, refs: e.refs, dependsOn: e.deps.map((d) => componentIdentity(d)),
    }));
  }
}
