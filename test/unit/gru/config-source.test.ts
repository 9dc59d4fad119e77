import { ConfigError } from '../../../src/core/errors';
import { isParsableConfigFile, parseConfigText } from '../../../src/gru/config-source';

describe('config-source: parsing config files by extension into plain data', () => {
  it('reads JSON, YAML and TOML into ordinary objects', () => {
    const toml = parseConfigText('a = 1\n[t]\nb = "x"\n', 'c.toml');
    expect(toml).toEqual({ a: 1, t: { b: 'x' } });
    expect(Object.getPrototypeOf(toml)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(toml.t)).toBe(Object.prototype);
    expect(parseConfigText('a: 1\nt: { b: x }\n', 'C.YML')).toEqual({ a: 1, t: { b: 'x' } });
    expect(parseConfigText('\ufeff{ "a": [1, 2] }', 'c.json')).toEqual({ a: [1, 2] });
  });

  it('TOML offset date-times become Dates; local dates and times stay text', () => {
    const parsed = parseConfigText('at = 2024-01-02T03:04:05+02:00\nday = 2024-01-02\nlocal = 2024-01-02T03:04:05\ntime = 07:30:00\n', 'c.toml');
    expect(parsed.at).toEqual(new Date('2024-01-02T01:04:05Z'));
    expect(parsed.at!.constructor).toBe(Date);
    expect(parsed).toMatchObject({ day: '2024-01-02', local: '2024-01-02T03:04:05.000', time: '07:30:00.000' });
  });

  it('an empty YAML or TOML file is an empty config; a JSON __proto__ key stays a plain key', () => {
    expect(parseConfigText('# nothing\n', 'c.yaml')).toEqual({});
    expect(parseConfigText('', 'c.toml')).toEqual({});
    const parsed = parseConfigText('{ "__proto__": { "polluted": true } }', 'c.json');
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('errors are ConfigErrors naming the file', () => {
    expect(() => parseConfigText('x', 'c.json')).toThrow(ConfigError);
    expect(() => parseConfigText('a = ', 'dir/c.toml')).toThrow(/^Config file dir\/c\.toml is not valid TOML/);
    expect(() => parseConfigText('"text"', 'c.json')).toThrow(/must hold an object \(key\/value pairs\) at the top level, got a string/);
  });

  it('knows which files it reads', () => {
    expect(['a.json', 'a.YAML', 'a.yml', 'a.toml'].map(isParsableConfigFile)).toEqual([true, true, true, true]);
    expect(['a.ini', 'a', 'a.json5'].map(isParsableConfigFile)).toEqual([false, false, false]);
  });
});
