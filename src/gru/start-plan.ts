import type { Container } from 'inversify';
import { Minion } from '../core/components/minion';
import { Pipeline } from '../core/components/pipeline';
import { assertDataClass } from '../core/codec/data-class';
import { stepsFingerprint } from '../core/codec/checkpoint-codec';
import { validateConfig } from '../core/config/validate-config';
import { ConfigError, InvalidComponentError } from '../core/errors';
import { fileConfigId, inlineConfigId, NO_CONFIG_ID } from '../core/identity/config-identity';
import { assertUniqueComponentId } from '../core/identity/id-registry';
import { orchestrationId } from '../core/identity/orchestration-id';
import { collectSteps, componentIdentity, getComponentMeta, type ComponentMeta, type StepMeta } from '../core/metadata';
import type { SavedShape } from '../core/workflow/decode-saved';
import type { OrchestrationIdentity } from '../core/workflow/outcome';
import { constructorDependencies, resourceClosure } from '../di';
import { resolveComponentRef } from './component-ref';
import { isParsableConfigFile, readConfigFile } from './config-source';
import type { OrchestrationSpec } from './orchestration-spec';
import { overflowPolicy } from './gru-options';

/** Everything a start needs, computed and checked before anything is constructed. */
export interface StartPlan {
  /** The spec as given, kept so a restart can start it again. */
  spec: OrchestrationSpec<unknown, unknown>;
  minionCls: Function;
  pipelineCls: Function;
  minionMeta: ComponentMeta;
  steps: StepMeta[];
  fingerprint: string;
  identity: OrchestrationIdentity;
  /** Validated inline/file/default config, when the minion has a config class and no custom loader will produce it. */
  config?: object;
  /** The config file to hand to the minion's own `loadConfig`, if it has one. */
  configPath?: string;
  /** Resource classes the start needs, dependencies first. */
  resources: Function[];
  /** The spec's overflow policy, if it gives one. */
  overflowPolicy?: 'drop-oldest' | 'error';
}

function hasMethod(cls: Function, name: string): boolean {
  for (let p = cls.prototype; p && p !== Pipeline.prototype && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (typeof Object.getOwnPropertyDescriptor(p, name)?.value === 'function') return true;
  }
  return false;
}

function metaOf(cls: Function, kind: 'minion' | 'pipeline'): ComponentMeta {
  const meta = getComponentMeta(cls);
  if (!meta || meta.kind !== kind) {
    throw new InvalidComponentError(`${cls.name} is not decorated with @${kind}({ ... }): decorate it so the runtime knows its event${kind === 'minion' ? ', context and config' : ''} classes.`);
  }
  return meta;
}

/**
 * Validates a spec and computes identities. `resolved` gives classes already loaded for the
 * spec's module paths (a restart reuses them, a redeploy passes the freshly loaded minion).
 * @throws InvalidComponentError, ResourceCycleError, ConfigError: the problem in the spec.
 */
export function planStart(spec: OrchestrationSpec<unknown, unknown>, container: Container, isOverridden: (cls: Function) => boolean,
  resolved: { minion?: Function; pipeline?: Function } = {}): StartPlan {
  if (!spec || typeof spec !== 'object') throw new InvalidComponentError('startOrchestration needs a spec object { pipeline, minion, config?, configPath? }');
  const minionCls = resolved.minion ?? resolveComponentRef(spec.minion, Minion, 'minion');
  const pipelineCls = resolved.pipeline ?? resolveComponentRef(spec.pipeline, Pipeline, 'pipeline');
  if (!(minionCls.prototype instanceof Minion)) throw new InvalidComponentError(`${minionCls.name} does not extend Minion`);
  if (!(pipelineCls.prototype instanceof Pipeline)) throw new InvalidComponentError(`${pipelineCls.name} does not extend Pipeline`);
  const minionMeta = metaOf(minionCls, 'minion');
  const pipelineMeta = metaOf(pipelineCls, 'pipeline');

  const steps = collectSteps(minionCls);
  if (steps.length === 0) throw new InvalidComponentError(`${minionCls.name} has no @step methods: a minion runs its steps in order for each event.`);
  assertDataClass(minionMeta.event!, 'event', minionCls.name);
  assertDataClass(minionMeta.context!, 'context', minionCls.name);
  if (minionMeta.config) assertDataClass(minionMeta.config, 'config', minionCls.name);
  assertDataClass(pipelineMeta.event!, 'event', pipelineCls.name);
  const pe = pipelineMeta.event!;
  const me = minionMeta.event!;
  if (pe !== me && !(pe.prototype instanceof me)) {
    throw new InvalidComponentError(`${pipelineCls.name} emits ${pe.name} but ${minionCls.name} handles ${me.name}: the pipeline's event class must be the minion's or a subclass of it.`);
  }
  const sources = ['produceEvent', 'produceEvents', 'events'].filter((m) => hasMethod(pipelineCls, m));
  if (sources.length !== 1) {
    throw new InvalidComponentError(`${pipelineCls.name} must implement exactly one of produceEvent(), produceEvents() or events(), found ${sources.length === 0 ? 'none' : sources.join(' and ')}.`);
  }

  for (const cls of [minionCls, pipelineCls]) checkTokensBound(cls, container);
  const resources = resourceClosure([minionCls, pipelineCls], isOverridden);
  for (const cls of resources) if (!isOverridden(cls)) checkTokensBound(cls, container);
  for (const cls of [minionCls, pipelineCls, ...resources]) assertUniqueId(cls);

  const minionId = componentIdentity(minionCls);
  const pipelineId = componentIdentity(pipelineCls);
  const { config, configPath, configId } = planConfig(spec, minionCls, minionMeta, minionId);
  const identity = { minionId, pipelineId, configId, orchestrationId: orchestrationId({ minionId, pipelineId, configId }) };
  const overflow = overflowPolicy(spec.overflowPolicy, 'OrchestrationSpec.overflowPolicy');
  return {
    spec, minionCls, pipelineCls, minionMeta, steps, fingerprint: stepsFingerprint(steps.map((s) => s.name)), identity, config, configPath, resources,
    overflowPolicy: overflow,
  };
}

/** Two loaded classes claiming one (kind, id) are refused, naming both. */
function assertUniqueId(cls: Function): void {
  const meta = getComponentMeta(cls);
  if (meta) assertUniqueComponentId(meta.kind, meta.id, meta.fallbackAddress);
}

function checkTokensBound(cls: Function, container: Container): void {
  for (const dep of constructorDependencies(cls)) {
    if (dep.resource) continue;
    if (!container.isBound(dep.token as never)) {
      const name = typeof dep.token === 'function' ? (dep.token as Function).name : String(dep.token);
      throw new InvalidComponentError(`${cls.name} constructor parameter #${dep.index} needs ${name}, which nothing provides: ` +
        `resources must extend Resource and be decorated with @resource(); other tokens need a binding in GruOptions.modules.`);
    }
  }
}

/**
 * The config part of a plan: the config identity, and either the validated
 * config (inline, a file read by the runtime, or the defaults) or the file for the minion's own
 * `loadConfig`. A file of a parsable kind (`.json`/`.yaml`/`.yml`/`.toml`) is read here even
 * when the minion loads it itself, for its `_minions_config_id`.
 * @throws ConfigError for both or a misplaced config, an unreadable/invalid file, or values that do not fit.
 */
function planConfig(spec: OrchestrationSpec<unknown, unknown>, minionCls: Function, meta: ComponentMeta, minionId: string) {
  const cfgCls = meta.config as (new () => object) | undefined;
  if (spec.config !== undefined && spec.configPath !== undefined) {
    throw new ConfigError(`Give either config or configPath for ${minionCls.name}, not both`);
  }
  if (spec.configPath !== undefined && (typeof spec.configPath !== 'string' || spec.configPath.trim() === '')) {
    throw new ConfigError(`OrchestrationSpec.configPath for ${minionCls.name} must be a file path, got ${JSON.stringify(spec.configPath)}`, {
      key: 'configPath', expected: 'a file path',
    });
  }
  if (!cfgCls) {
    if (spec.config !== undefined || spec.configPath !== undefined) {
      throw new ConfigError(`${minionCls.name} declares no config class (@minion({ config })), but the spec gives a config`);
    }
    return { configId: NO_CONFIG_ID };
  }
  if (spec.configPath !== undefined) {
    const file = spec.configPath;
    const custom = typeof (minionCls.prototype as { loadConfig?: unknown }).loadConfig === 'function';
    if (custom) {
      const parsed = isParsableConfigFile(file) ? readConfigFile(file) : undefined;
      return { configId: fileConfigId(file, parsed), configPath: file };
    }
    const parsed = readConfigFile(file);
    return { configId: fileConfigId(file, parsed), config: validateConfig(cfgCls, parsed, file) };
  }
  const config = validateConfig(cfgCls, spec.config ?? {});
  return { configId: spec.config === undefined ? NO_CONFIG_ID : inlineConfigId(minionId, cfgCls.name, config), config };
}

/** What a saved workflow must match to resume under `plan`: its classes, step fingerprint and step count. */
export function savedShape(plan: StartPlan): SavedShape {
  return {
    event: plan.minionMeta.event as new () => object, context: plan.minionMeta.context as new () => object,
    fingerprint: plan.fingerprint, stepCount: plan.steps.length,
  };
}
