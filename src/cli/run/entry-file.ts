/**
 * Loading a `minions run` entry file: JSON (see `parseJsonEntry`), or a JavaScript module
 * (compiled TypeScript included) exporting `orchestrations` and optionally `gruOptions`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GruOptions, OrchestrationSpec } from '../../index';
import { CliError } from '../cli-error';
import { parseJsonEntry } from './json-entry';
import { loadMinionsApi, type MinionsApi } from './minions-api';

/** What an entry file asks to run, and the `minions` copy to run it with. */
export interface RunEntry {
  /** The entry file, absolute. */
  file: string;
  orchestrations: OrchestrationSpec<unknown, unknown>[];
  gruOptions: GruOptions;
  api: MinionsApi;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Loads an entry file.
 *
 * A module entry (`.js`, `.cjs`, `.mjs`, or anything `require` can load, e.g. `.ts` under a
 * TypeScript loader) exports, by name or as its default export's properties:
 * - `orchestrations`: non-empty array of `OrchestrationSpec`s; `pipeline`/`minion` may be
 *   classes or module paths, and string paths (`pipeline`, `minion`, `configPath`) are relative
 *   to the entry file's directory;
 * - `gruOptions` (optional): `GruOptions`, or a function (possibly async) returning them,
 *   called once. `handleSignals` is ignored: the command handles signals.
 *
 * @param entry the entry file as given (relative to the working directory or absolute).
 * @throws CliError (exit 1) when the file is missing, does not load or parse, or its exports
 *   do not have that shape (the message names the file and the problem).
 */
export async function loadRunEntry(entry: string): Promise<RunEntry> {
  const file = path.resolve(entry);
  if (!fs.existsSync(file)) throw new CliError(`${entry}: no such entry file`);
  const api = loadMinionsApi(path.dirname(file));
  if (file.toLowerCase().endsWith('.json')) {
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new CliError(`${entry}: not valid JSON: ${(e as Error).message}`);
    }
    return { file, api, ...parseJsonEntry(data, entry, api) };
  }
  const exports = await loadModule(file, entry);
  const source = isObject(exports) && exports.orchestrations === undefined && isObject(exports.default) ? exports.default : exports;
  if (!isObject(source) || !Array.isArray(source.orchestrations) || source.orchestrations.length === 0) {
    throw new CliError(`${entry}: the module must export a non-empty \`orchestrations\` array of { pipeline, minion, configPath? }`);
  }
  const baseDir = path.dirname(file);
  const orchestrations = source.orchestrations.map((spec: unknown, i: number) => {
    if (!isObject(spec)) throw new CliError(`${entry}: orchestrations[${i}] must be an object { pipeline, minion, configPath? }`);
    const out = { ...spec } as unknown as OrchestrationSpec<unknown, unknown>;
    for (const key of ['pipeline', 'minion'] as const) {
      const ref = spec[key];
      if (typeof ref === 'string') out[key] = path.resolve(baseDir, ref);
      else if (typeof ref !== 'function') throw new CliError(`${entry}: orchestrations[${i}].${key} must be a class or a module path`);
    }
    if (typeof spec.configPath === 'string') out.configPath = path.resolve(baseDir, spec.configPath);
    return out;
  });
  let gruOptions: unknown = source.gruOptions ?? {};
  if (typeof gruOptions === 'function') gruOptions = await (gruOptions as () => unknown)();
  if (!isObject(gruOptions)) throw new CliError(`${entry}: gruOptions must be an object (GruOptions) or a function returning one`);
  return { file, api, orchestrations, gruOptions: gruOptions as GruOptions };
}

/** A real `import()`: TypeScript's CommonJS output would turn a written one into `require`. */
const dynamicImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

async function loadModule(file: string, entry: string): Promise<unknown> {
  try {
    return require(file) as unknown;
  } catch (e) {
    if ((e as { code?: string }).code !== 'ERR_REQUIRE_ESM' && (e as { code?: string }).code !== 'ERR_REQUIRE_ASYNC_MODULE') {
      throw new CliError(`${entry}: cannot load: ${(e as Error).message}`, undefined, { cause: e });
    }
  }
  try {
    return await dynamicImport(pathToFileURL(file).href);
  } catch (e) {
    throw new CliError(`${entry}: cannot load: ${(e as Error).message}`, undefined, { cause: e });
  }
}
