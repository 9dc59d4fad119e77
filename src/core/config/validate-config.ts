import { ConfigError } from '../errors';

/** Kind names used in config errors. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Date) return 'Date';
  if (typeof v === 'object') return Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null ? 'object' : (v as object).constructor.name;
  return typeof v;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The key every config file may carry for its identity; never reaches the config model. */
export { CONFIG_ID_KEY } from '../identity/config-identity';
import { CONFIG_ID_KEY } from '../identity/config-identity';

/**
 * Validates `value` into a new instance of the config class `cls`: unknown keys
 * are refused; each value must have the kind of the default (string, number, boolean, array,
 * plain object, Date, nested data class checked recursively); array elements and fields whose
 * default is `null` are not checked; a field without initializer is required, kind unchecked.
 * The top-level `_minions_config_id` key is dropped: it names the config, it is not part of it.
 *
 * `value` may be a plain object (parsed file, inline config) or an instance of `cls` (what a
 * user `loadConfig` often returns); an instance is read by its own enumerable fields, nested
 * data-class instances likewise. A Date field also accepts an ISO-8601 string.
 *
 * @param cls - the config class (constructible with no arguments).
 * @param value - the config data.
 * @param file - the config file, named in errors when given.
 * @param prefix - key path of `value` inside the whole config (recursion); default top level.
 * @returns a fresh `cls` instance holding the defaults overlaid with `value`.
 * @throws ConfigError naming file, key path and expected kind (`file`, `key`, `expected`).
 */
export function validateConfig<T extends object>(cls: new () => T, value: unknown, file?: string, prefix = ''): T {
  const where = file ? ` in ${file}` : '';
  if (!isPlain(value) && !(value instanceof cls)) {
    throw new ConfigError(`Config${where}${prefix ? ` at ${prefix}` : ''} must be an object for ${cls.name}, got ${kindOf(value)}`,
      { file, key: prefix || undefined, expected: 'object' });
  }
  const target = new cls() as Record<string, unknown>;
  const required = Object.keys(target).filter((key) => target[key] === undefined);
  for (const [key, given] of Object.entries(value as object)) {
    if (key === CONFIG_ID_KEY && !prefix) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (!Object.prototype.hasOwnProperty.call(target, key)) {
      const known = Object.keys(target).join(', ') || '(none)';
      throw new ConfigError(`Unknown config key "${path}"${where} for ${cls.name}; known keys: ${known}`, { file, key: path, expected: 'a known key' });
    }
    target[key] = coerce(target[key], given, path, file, cls.name);
  }
  for (const key of required) {
    if (target[key] === undefined) {
      const path = prefix ? `${prefix}.${key}` : key;
      throw new ConfigError(`Missing required config key "${path}"${where} for ${cls.name}`, { file, key: path, expected: 'a value' });
    }
  }
  return target as T;
}

function coerce(def: unknown, given: unknown, path: string, file: string | undefined, owner: string): unknown {
  if (def === undefined || def === null) return given;
  const where = file ? ` in ${file}` : '';
  const fail = (expected: string): never => {
    throw new ConfigError(`Config key "${path}"${where} for ${owner} must be ${expected}, got ${kindOf(given)}`, { file, key: path, expected });
  };
  if (def instanceof Date) {
    if (given instanceof Date) return given;
    if (typeof given === 'string' && !Number.isNaN(Date.parse(given))) return new Date(given);
    return fail('a Date (ISO string)');
  }
  if (Array.isArray(def)) return Array.isArray(given) ? given : fail('an array');
  if (isPlain(def)) return isPlain(given) ? given : fail('an object');
  if (typeof def === 'object') return validateConfig((def as object).constructor as new () => object, given, file, path);
  if (typeof given !== typeof def) return fail(`a ${typeof def}`);
  return given;
}
