/**
 * Reading config files: JSON, YAML and TOML, parsed by
 * extension into plain data for validation and for the config identity.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as TOML from 'smol-toml';
import * as YAML from 'yaml';
import { ConfigError } from '../core/errors';

/** Extensions the runtime parses itself, lowercase with the dot. */
export const CONFIG_FILE_EXTENSIONS: readonly string[] = ['.json', '.yaml', '.yml', '.toml'];

/** True when the runtime can parse `file` itself (by its extension, case-insensitive). */
export function isParsableConfigFile(file: string): boolean {
  return CONFIG_FILE_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/**
 * Reads and parses a config file by extension: `.json` (JSON), `.yaml`/`.yml` (YAML 1.2, one
 * document, the `yaml` package), `.toml` (TOML 1.0, `smol-toml`). The result is plain data:
 * objects with `Object.prototype`, arrays, strings, numbers, booleans, `null`, and `Date` for
 * TOML offset date-times. TOML local dates and times, and YAML timestamps, stay strings (the
 * config validator turns an ISO string into a `Date` where the config class's default is one).
 * The top-level `_minions_config_id` key, if present, is kept (it is read for the config
 * identity and dropped by validation). An empty YAML or TOML file is an empty object.
 *
 * @param file the config file, relative to the working directory or absolute.
 * @returns the top-level object.
 * @throws ConfigError naming the file: unreadable or missing, another extension (`expected`
 *   lists the supported ones; a minion with its own `loadConfig` may read any format), a syntax
 *   error (with line and column), or a top level that is not an object (`expected: 'object'`).
 */
export function readConfigFile(file: string): Record<string, unknown> {
  const ext = path.extname(file).toLowerCase();
  if (!CONFIG_FILE_EXTENSIONS.includes(ext)) {
    throw new ConfigError(
      `Config file ${file}: unsupported extension "${ext || '(none)'}"; Minions reads ${CONFIG_FILE_EXTENSIONS.join(', ')}. ` +
        'For another format, give the minion a loadConfig(path) method that reads it.',
      { file, expected: CONFIG_FILE_EXTENSIONS.join(' | ') },
    );
  }
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read config file ${file}: ${(e as Error).message}`, { file, cause: e });
  }
  return parseConfigText(text, file);
}

/**
 * Parses config text in the format of `file`'s extension (see `readConfigFile`); the
 * file itself is not read, its name only picks the parser and appears in errors.
 * @throws ConfigError as `readConfigFile` (except for reading).
 */
export function parseConfigText(text: string, file: string): Record<string, unknown> {
  const ext = path.extname(file).toLowerCase();
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let parsed: unknown;
  try {
    if (ext === '.json') parsed = JSON.parse(body);
    else if (ext === '.toml') parsed = TOML.parse(body);
    else parsed = YAML.parse(body, { prettyErrors: true });
  } catch (e) {
    const format = ext === '.json' ? 'JSON' : ext === '.toml' ? 'TOML' : 'YAML';
    throw new ConfigError(`Config file ${file} is not valid ${format}: ${firstLines((e as Error).message)}`, { file, cause: e });
  }
  if (ext !== '.json' && (parsed === null || parsed === undefined)) parsed = {};
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const got = parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : `a ${typeof parsed}`;
    throw new ConfigError(`Config file ${file} must hold an object (key/value pairs) at the top level, got ${got}`, { file, expected: 'object' });
  }
  return toPlainData(parsed) as Record<string, unknown>;
}

/** Keeps error messages to their summary and the source excerpt, without trailing blanks. */
function firstLines(message: string): string {
  return message.split('\n').slice(0, 4).join('\n').trimEnd();
}

/**
 * Null-prototype objects (TOML) become ordinary objects (built with `Object.fromEntries`, so a
 * `__proto__` key stays a plain key); TOML offset date-times become `Date`s; TOML local dates,
 * times and date-times (no offset: no single instant) become their text, e.g. `'1979-05-27'`.
 */
function toPlainData(value: unknown): unknown {
  if (value instanceof Date) {
    const local = typeof (value as { isLocal?: unknown }).isLocal === 'function' && (value as unknown as { isLocal(): boolean }).isLocal();
    return local ? value.toISOString() : new Date(value.getTime());
  }
  if (Array.isArray(value)) return value.map(toPlainData);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlainData(v)]));
  }
  return value;
}
