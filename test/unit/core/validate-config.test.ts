import { validateConfig } from '../../../src/core/config/validate-config';
import { ConfigError } from '../../../src/core/errors';

class Inner { depth = 1; }
class Cfg { name!: string; port = 80; inner = new Inner(); since = new Date(0); extra: unknown = null; }

describe('SEMANTICS 5: validateConfig', () => {
  it('fills defaults, drops the top-level _minions_config_id, and accepts ISO strings for Dates', () => {
    const cfg = validateConfig(Cfg, { _minions_config_id: 'x', name: 'n', since: '2024-01-01T00:00:00Z', extra: [1] }, 'c.yaml');
    expect(cfg).toBeInstanceOf(Cfg);
    expect(cfg).toEqual(Object.assign(new Cfg(), { name: 'n', since: new Date('2024-01-01T00:00:00Z'), extra: [1] }));
    expect(Object.keys(cfg)).not.toContain('_minions_config_id');
  });

  it('accepts an instance of the config class (what a loadConfig override returns), nested instances too', () => {
    const given = Object.assign(new Cfg(), { name: 'n', inner: Object.assign(new Inner(), { depth: 3 }) });
    const cfg = validateConfig(Cfg, given);
    expect(cfg).not.toBe(given);
    expect(cfg.inner).toBeInstanceOf(Inner);
    expect(cfg.inner.depth).toBe(3);
  });

  it.each([
    [{ name: 'n', port: '80' }, 'port', 'a number'],
    [{ name: 'n', inner: { depth: 'deep' } }, 'inner.depth', 'a number'],
    [{ name: 'n', inner: { other: 1 } }, 'inner.other', 'a known key'],
    [{ port: 1 }, 'name', 'a value'],
    [Object.assign(new Cfg(), { port: 1 }), 'name', 'a value'],
    [{ name: 'n', since: 'yesterday' }, 'since', 'a Date (ISO string)'],
  ])('%j -> ConfigError at %s expecting %s', (value, key, expected) => {
    let error: unknown;
    try { validateConfig(Cfg, value, 'conf/app.toml'); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ file: 'conf/app.toml', key, expected });
    expect((error as Error).message).toContain('conf/app.toml');
  });
});
