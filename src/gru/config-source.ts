import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../core/errors';

/**
 * Reads and parses a config file by extension. JSON now; `.yaml`/`.yml`/`.toml` are refused
 * with a clear error until their parsers land (issue 4).
 * @throws ConfigError naming the file (missing, unreadable, malformed, unsupported extension).
 */
export function readConfigFile(file: string): Record<string, unknown> {
  const ext = path.extname(file).toLowerCase();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`Cannot read config file ${file}: ${(e as Error).message}`, { file, cause: e });
  }
  if (ext !== '.json') {
    throw new ConfigError(`Config file ${file}: only .json is supported by this version; use a JSON file or a loadConfig() override`, { file, expected: '.json' });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(`Config file ${file} is not valid JSON: ${(e as Error).message}`, { file, cause: e });
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`Config file ${file} must hold an object at the top level`, { file, expected: 'object' });
  }
  return parsed as Record<string, unknown>;
}
