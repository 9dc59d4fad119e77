import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { ConfigError } from '../../../src/core/errors';
import { CONFIG_ID_KEY, fileConfigId, inlineConfigId, NO_CONFIG_ID } from '../../../src/core/identity/config-identity';

describe('SEMANTICS 2: without config the config identity is the empty string', () => {
  it('NO_CONFIG_ID is "" and an empty config path means no config', () => {
    expect(NO_CONFIG_ID).toBe('');
    expect(fileConfigId('')).toBe('');
  });
});

describe('SEMANTICS 2: inline config identity is <inline:16 hex of SHA-256(minion#Class\\0canonical JSON)>', () => {
  class WatchConfig {
    threshold = 100;
    name = 'alpha';
    since = new Date(Date.UTC(2024, 0, 1));
    label = 'café';
  }

  it('hashes minion id, "#", config class name, NUL and the canonical JSON of the config', () => {
    const json = '{"label":"caf\\u00e9","name":"alpha","since":"2024-01-01T00:00:00.000Z","threshold":100}';
    const expected = createHash('sha256').update(`m-1#WatchConfig\0${json}`, 'utf8').digest('hex').slice(0, 16);
    expect(inlineConfigId('m-1', 'WatchConfig', new WatchConfig())).toBe(`<inline:${expected}>`);
  });

  it('is stable, has 16 hex digits, and never shows the values', () => {
    const id = inlineConfigId('m-1', 'WatchConfig', new WatchConfig());
    expect(inlineConfigId('m-1', 'WatchConfig', new WatchConfig())).toBe(id);
    expect(id).toMatch(/^<inline:[0-9a-f]{16}>$/);
    expect(id).not.toContain('alpha');
  });

  it('does not depend on key order (keys are sorted)', () => {
    expect(inlineConfigId('m', 'C', { a: 1, b: 2 })).toBe(inlineConfigId('m', 'C', { b: 2, a: 1 }));
  });

  it('changes with any value, with the minion id and with the config class name', () => {
    const base = inlineConfigId('m', 'C', { threshold: 100 });
    expect(inlineConfigId('m', 'C', { threshold: 101 })).not.toBe(base);
    expect(inlineConfigId('n', 'C', { threshold: 100 })).not.toBe(base);
    expect(inlineConfigId('m', 'D', { threshold: 100 })).not.toBe(base);
    // The separator keeps (minion, class) pairs apart.
    expect(inlineConfigId('m#C', '', { threshold: 100 })).not.toBe(base);
  });
});

describe('SEMANTICS 2: file config identity is _minions_config_id, else the POSIX path relative to cwd', () => {
  const cwd = path.resolve('/srv/app');

  it('uses a top-level _minions_config_id string when present', () => {
    const parsed = { [CONFIG_ID_KEY]: '44444444-4444-4444-8444-444444444444', threshold: 3 };
    expect(fileConfigId('configs/prod.toml', parsed, cwd)).toBe('44444444-4444-4444-8444-444444444444');
  });

  it('ignores a nested _minions_config_id', () => {
    expect(fileConfigId('configs/prod.toml', { nested: { [CONFIG_ID_KEY]: 'x' } }, cwd)).toBe('configs/prod.toml');
  });

  it('falls back to the path relative to cwd, in POSIX form', () => {
    expect(fileConfigId('configs/prod.toml', undefined, cwd)).toBe('configs/prod.toml');
    expect(fileConfigId('./configs/../configs/prod.json', {}, cwd)).toBe('configs/prod.json');
    expect(fileConfigId(path.join(cwd, 'configs', 'x.yaml'), {}, cwd)).toBe('configs/x.yaml');
  });

  it('uses the absolute POSIX path for a file outside cwd', () => {
    expect(fileConfigId('/etc/minions/prod.toml', undefined, cwd)).toBe('/etc/minions/prod.toml');
    expect(fileConfigId('../shared/c.json', undefined, cwd)).toBe('/srv/shared/c.json');
  });

  it('defaults cwd to the process working directory', () => {
    expect(fileConfigId('configs/a.json')).toBe('configs/a.json');
  });

  it.each([
    ['a number', 42],
    ['null', null],
    ['a blank string', '  '],
  ])('refuses a _minions_config_id that is %s with a ConfigError naming file and key', (_label, value) => {
    let error: unknown;
    try {
      fileConfigId('configs/prod.toml', { [CONFIG_ID_KEY]: value }, cwd);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ file: 'configs/prod.toml', key: CONFIG_ID_KEY, expected: 'string' });
    expect((error as Error).message).toContain('configs/prod.toml: _minions_config_id must be a non-blank string');
  });
});
