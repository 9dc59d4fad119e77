/**
 * The JSON form of a `minions run` entry file (docs/reference/cli.md):
 *
 * ```json
 * { "gru": { "stateStore": "state/minions.db", "metrics": { "port": 9464 } },
 *   "orchestrations": [{ "pipeline": "dist/feed.js", "minion": "dist/watcher.js", "configPath": "config/prod.yaml" }] }
 * ```
 *
 * Every path is relative to the entry file's directory.
 */
import * as path from 'node:path';
import type { GruOptions, OrchestrationSpec } from '../../index';
import { CliError } from '../cli-error';
import type { MinionsApi } from './minions-api';

type Json = Record<string, unknown>;

const SPEC_KEYS = new Set(['pipeline', 'minion', 'configPath', 'config']);
const NUMBER_OPTIONS = ['stopGraceMs', 'cancelTimeoutMs', 'shutdownTimeoutMs', 'startupTimeoutMs', 'maxInFlight', 'bufferSize'] as const;
const GRU_KEYS = new Set<string>(['stateStore', 'metrics', 'logger', 'workflowPersistenceFailurePolicy', 'workflowFailurePolicy', 'persistenceRetry', 'producerRetry', 'diskFullTimeoutMs', ...NUMBER_OPTIONS]);

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Turns a parsed JSON entry into orchestration specs and Gru options.
 *
 * - `orchestrations`: non-empty array of `{ pipeline, minion, configPath?, config? }`; `pipeline`
 *   and `minion` are module paths, `configPath` a config file, all relative to `baseDir`;
 *   `config` an inline object.
 * - `gru` (optional): `stateStore` (SQLite file path, or `null` for no persistence),
 *   `metrics` (`{ port?, host? }` for the Prometheus server, or `null` for none), `logger`
 *   (`{ dir?, level?, console? }` for the JSON-lines logger), `stopGraceMs`, `cancelTimeoutMs`,
 *   `shutdownTimeoutMs`, `maxInFlight`, `bufferSize`, `workflowPersistenceFailurePolicy`, `workflowFailurePolicy`,
 *   `persistenceRetry`, `producerRetry`, `startupTimeoutMs`, `diskFullTimeoutMs` as in `GruOptions`. Omitted: the Gru's defaults (`minions.db` and `logs/`
 *   in the working directory, metrics on 127.0.0.1:8081).
 *
 * @throws CliError (exit 1) naming the entry file and the first wrong key.
 */
export function parseJsonEntry(data: unknown, file: string, api: MinionsApi): { orchestrations: OrchestrationSpec<unknown, unknown>[]; gruOptions: GruOptions } {
  const fail = (what: string): never => { throw new CliError(`${file}: ${what}`); };
  const baseDir = path.dirname(path.resolve(file));
  const at = (p: string): string => path.resolve(baseDir, p);
  if (!isObject(data)) return fail('the entry must be a JSON object { "orchestrations": [...] }');
  for (const key of Object.keys(data)) if (key !== 'orchestrations' && key !== 'gru') fail(`unknown key "${key}" (expected "orchestrations", "gru")`);
  if (!Array.isArray(data.orchestrations) || data.orchestrations.length === 0) fail('"orchestrations" must be a non-empty array');
  const orchestrations = (data.orchestrations as unknown[]).map((item, i) => {
    const where = `orchestrations[${i}]`;
    if (!isObject(item)) return fail(`${where} must be an object { "pipeline", "minion", "configPath"? }`);
    for (const key of Object.keys(item)) if (!SPEC_KEYS.has(key)) fail(`${where}: unknown key "${key}"`);
    for (const key of ['pipeline', 'minion'] as const) {
      if (typeof item[key] !== 'string' || item[key] === '') fail(`${where}.${key} must be a module path (relative to the entry file)`);
    }
    const spec: OrchestrationSpec<unknown, unknown> = { pipeline: at(item.pipeline as string), minion: at(item.minion as string) };
    if (item.configPath !== undefined) {
      if (typeof item.configPath !== 'string' || item.configPath === '') fail(`${where}.configPath must be a file path`);
      spec.configPath = at(item.configPath as string);
    }
    if (item.config !== undefined) {
      if (!isObject(item.config)) fail(`${where}.config must be an object`);
      spec.config = item.config as object;
    }
    return spec;
  });
  return { orchestrations, gruOptions: gruOptions(data.gru, fail, at, api) };
}

function gruOptions(gru: unknown, fail: (what: string) => never, at: (p: string) => string, api: MinionsApi): GruOptions {
  if (gru === undefined) return {};
  if (!isObject(gru)) return fail('"gru" must be an object');
  for (const key of Object.keys(gru)) if (!GRU_KEYS.has(key)) fail(`gru: unknown key "${key}" (expected ${[...GRU_KEYS].join(', ')})`);
  const options: GruOptions = {};
  if (gru.stateStore === null) options.stateStore = null;
  else if (typeof gru.stateStore === 'string') options.stateStore = new api.SqliteStateStore({ path: at(gru.stateStore) });
  else if (gru.stateStore !== undefined) fail('gru.stateStore must be a SQLite file path or null');
  if (gru.metrics === null) options.metrics = null;
  else if (isObject(gru.metrics)) {
    const { port, host, ...rest } = gru.metrics;
    if (Object.keys(rest).length > 0) fail(`gru.metrics: unknown key "${Object.keys(rest)[0]}" (expected port, host)`);
    if (port !== undefined && typeof port !== 'number') fail('gru.metrics.port must be a number');
    if (host !== undefined && typeof host !== 'string') fail('gru.metrics.host must be a string');
    options.metrics = new api.PrometheusMetrics({ port: port as number | undefined, host: host as string | undefined });
  } else if (gru.metrics !== undefined) fail('gru.metrics must be { "port"?, "host"? } or null');
  if (isObject(gru.logger)) {
    const { dir, level, console: toConsole, ...rest } = gru.logger;
    if (Object.keys(rest).length > 0) fail(`gru.logger: unknown key "${Object.keys(rest)[0]}" (expected dir, level, console)`);
    if (dir !== undefined && typeof dir !== 'string') fail('gru.logger.dir must be a directory path');
    if (toConsole !== undefined && typeof toConsole !== 'boolean') fail('gru.logger.console must be true or false');
    options.logger = new api.WinstonLogger({
      dir: dir === undefined ? undefined : at(dir as string), level: level as never, console: toConsole as boolean | undefined,
    });
  } else if (gru.logger !== undefined) fail('gru.logger must be { "dir"?, "level"?, "console"? }');
  for (const key of NUMBER_OPTIONS) {
    if (gru[key] !== undefined && typeof gru[key] !== 'number') fail(`gru.${key} must be a number`);
    if (gru[key] !== undefined) options[key] = gru[key] as number;
  }
  if (gru.diskFullTimeoutMs !== undefined) {
    if (gru.diskFullTimeoutMs !== null && typeof gru.diskFullTimeoutMs !== 'number') fail('gru.diskFullTimeoutMs must be a number of milliseconds, or null (wait forever)');
    options.diskFullTimeoutMs = gru.diskFullTimeoutMs as number | null;
  }
  if (gru.workflowPersistenceFailurePolicy !== undefined) options.workflowPersistenceFailurePolicy = gru.workflowPersistenceFailurePolicy as never;
  if (gru.workflowFailurePolicy !== undefined) options.workflowFailurePolicy = gru.workflowFailurePolicy as never; // Gru.create validates it
  if (gru.persistenceRetry !== undefined) {
    if (!isObject(gru.persistenceRetry)) fail('gru.persistenceRetry must be an object');
    options.persistenceRetry = gru.persistenceRetry as GruOptions['persistenceRetry'];
  }
  if (gru.producerRetry !== undefined) {
    if (!isObject(gru.producerRetry)) fail('gru.producerRetry must be an object');
    options.producerRetry = gru.producerRetry as GruOptions['producerRetry'];
  }
  return options;
}
