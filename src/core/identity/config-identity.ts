/**
 * Config identity: the third part of an orchestration's
 * identity, computed before anything is constructed.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ConfigError } from '../errors';
import { canonicalJson } from './canonical-json';
import { toPortablePath } from './component-id';

/** The config identity of an orchestration started without any config. */
export const NO_CONFIG_ID = '';

/** Top-level key of a config file that names its identity explicitly. */
export const CONFIG_ID_KEY = '_minions_config_id';

/** Hex digits of the SHA-256 digest kept in an inline config id. */
const INLINE_DIGEST_HEX = 16;

/**
 * Identity of an inline config (`startOrchestration({ config })`):
 * `'<inline:' + first 16 hex digits of SHA-256(minionId + '#' + configClassName + '\0' +
 * canonicalJson(validatedConfig)) + '>'`, e.g. `'<inline:5c0f3a9e1b2d4c6f>'`.
 *
 * Deterministic and content-sensitive (any value change gives another id), and it never shows
 * the config values themselves. Pass the config *after* validation, with every default filled
 * in, so `{}` and `{ threshold: 100 }` (the default) give the same id. See `canonicalJson` for
 * how values print (keys sorted, Dates as ISO strings, non-ASCII escaped, `undefined` omitted).
 * Differs from the reference's digest (which hashes msgpack bytes and the Python class path).
 *
 * @param minionId the minion's component identity.
 * @param configClassName the config class's `name`.
 * @param validatedConfig the validated config instance.
 * @throws TypeError (from `canonicalJson`) if the config holds a function, symbol, Map, Set or a cycle.
 */
export function inlineConfigId(minionId: string, configClassName: string, validatedConfig: object): string {
  const digest = createHash('sha256')
    .update(`${minionId}#${configClassName}\0${canonicalJson(validatedConfig)}`, 'utf8')
    .digest('hex');
  return `<inline:${digest.slice(0, INLINE_DIGEST_HEX)}>`;
}

/**
 * Identity of a file config (`startOrchestration({ configPath })`):
 * - `''` ({@link NO_CONFIG_ID}) when `configPath` is empty: no config;
 * - the file's top-level `_minions_config_id` when `parsed` holds one;
 * - else `configPath` relative to `cwd` in POSIX form (`'configs/prod.toml'`), or the absolute
 *   POSIX path when the file is outside `cwd`. Lexical: symbolic links are not resolved.
 *
 * The explicit id is used as written (no UUID check: `minions stamp config-ids` writes UUIDs,
 * but any other non-blank string is accepted). Parsing the file is the caller's job; pass
 * `parsed` only for `.json`/`.yaml`/`.yml`/`.toml` files.
 *
 * @param configPath the config file as given by the user (relative to `cwd`, or absolute).
 * @param parsed the parsed top-level object of the file, when it was read.
 * @param cwd default `process.cwd()`.
 * @throws ConfigError (`file`, `key: '_minions_config_id'`, `expected: 'string'`) when the key is
 *   present but not a string, or blank (it would collide with "no config").
 */
export function fileConfigId(configPath: string, parsed?: Record<string, unknown>, cwd: string = process.cwd()): string {
  if (configPath === '') return NO_CONFIG_ID;
  if (parsed !== undefined && parsed !== null && Object.prototype.hasOwnProperty.call(parsed, CONFIG_ID_KEY)) {
    const id = parsed[CONFIG_ID_KEY];
    if (typeof id !== 'string' || id.trim() === '') {
      const got = typeof id === 'string' ? 'a blank string' : id === null ? 'null' : `a ${typeof id}`;
      throw new ConfigError(
        `${configPath}: ${CONFIG_ID_KEY} must be a non-blank string (a UUID from \`minions stamp config-ids\`), got ${got}. ` +
          `Fix the value or remove the key to use the file path as the config identity.`,
        { file: configPath, key: CONFIG_ID_KEY, expected: 'string' },
      );
    }
    return id;
  }
  return toPortablePath(path.resolve(cwd, configPath), cwd);
}
