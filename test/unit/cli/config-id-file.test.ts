import { addConfigId, GENERATED_COMMENT, readConfigIdInfo } from '../../../src/cli/ids/config-id-file';

const ID = '3f1c9a52-8b0e-4d7a-9c21-5e6f70a8b9c4';

describe('minions stamp config-ids: adding _minions_config_id keeps the file as it was', () => {
  it.each([
    ['{\n  "a": 1\n}\n', `{\n  "_minions_config_id": "${ID}",\n  "a": 1\n}\n`],
    ['{"a":1}', `{"_minions_config_id": "${ID}", "a":1}`],
    ['{ "a": 1 }', `{ "_minions_config_id": "${ID}", "a": 1 }`],
    ['{}\n', `{\n  "_minions_config_id": "${ID}"\n}\n`],
    ['{\r\n\t"a": 1\r\n}\r\n', `{\r\n\t"_minions_config_id": "${ID}",\r\n\t"a": 1\r\n}\r\n`],
  ])('JSON %j', (before, after) => expect(addConfigId('c.json', before, ID)).toBe(after));

  it.each([
    ['# header\na: 1 # note\n', `${GENERATED_COMMENT}\n_minions_config_id: "${ID}"\n# header\na: 1 # note\n`],
    ['%YAML 1.2\n---\na: 1\n', `%YAML 1.2\n---\n${GENERATED_COMMENT}\n_minions_config_id: "${ID}"\na: 1\n`],
    ['# c\n--- # doc\n  a: 1\n  b: 2\n', `# c\n--- # doc\n  ${GENERATED_COMMENT}\n  _minions_config_id: "${ID}"\n  a: 1\n  b: 2\n`],
    ['', `${GENERATED_COMMENT}\n_minions_config_id: "${ID}"\n`],
  ])('YAML %j', (before, after) => expect(addConfigId('c.yaml', before, ID)).toBe(after));

  it('TOML: at the top, before any table, comments kept', () => {
    const before = '# settings\nlabel = "x" # why\n[limits]\nmax = 1\n';
    expect(addConfigId('c.toml', before, ID)).toBe(`${GENERATED_COMMENT}\n_minions_config_id = "${ID}"\n${before}`);
  });

  it('refuses layouts it cannot edit safely, and text that does not parse', () => {
    expect(() => addConfigId('c.yml', '{ a: 1 }\n', ID)).toThrow(/flow style/);
    expect(() => addConfigId('c.yaml', '- 1\n', ID)).toThrow(/must hold an object/);
    expect(() => addConfigId('c.json', '{ "a": ', ID)).toThrow(/not valid JSON/);
  });
});

describe('minions doctor ids: reading _minions_config_id and its line', () => {
  it.each([
    ['c.json', `{\n  "a": { "_minions_config_id": "nested" },\n  "_minions_config_id": "${ID}"\n}`, 3],
    ['c.yaml', `a:\n  _minions_config_id: nested\n_minions_config_id: ${ID}\n`, 3],
    ['c.toml', `# c\n_minions_config_id = "${ID}"\n[t]\n_minions_config_id = "nested"\n`, 2],
  ])('%s: the top-level key only', (file, text, line) => {
    expect(readConfigIdInfo(file, text).id).toEqual({ state: 'present', value: ID, line });
  });

  it('a nested key alone does not count', () => {
    expect(readConfigIdInfo('c.yaml', 'a:\n  _minions_config_id: nested\n').id).toEqual({ state: 'missing' });
    expect(readConfigIdInfo('c.toml', '[a]\n_minions_config_id = "x"\n').id).toEqual({ state: 'missing' });
  });
});
