/**
 * `_minions_config_id` in JSON, YAML and TOML config files: reading it (with its line) and
 * adding it, as text edits that keep the rest of the file (comments, order, layout) as it was.
 */
import * as path from 'node:path';
import * as YAML from 'yaml';
import { CONFIG_ID_KEY, parseConfigText } from '../../index';
import { CliError } from '../cli-error';

/** The one-line comment written above a stamped YAML or TOML id. */
export const GENERATED_COMMENT = `# ${CONFIG_ID_KEY} was added by \`minions stamp config-ids\`: it names this config's orchestrations; keep it as it is.`;

/** What a config file says about its identity. */
export type ConfigIdInfo =
  | { state: 'missing' }
  /** `value` is what the file holds, of any type; `line` is 1-based (1 when it cannot be located). */
  | { state: 'present'; value: unknown; line: number };

/** Parsed config: its top-level object and identity. */
export interface ConfigFileInfo {
  data: Record<string, unknown>;
  id: ConfigIdInfo;
}

/**
 * Parses a config file's text and reads its top-level `_minions_config_id` (a nested key of that
 * name does not count).
 * @param file the file's name; its extension picks the format.
 * @param text the file's text.
 * @throws ConfigError (from `parseConfigText`) when the text does not parse or is not an object.
 */
export function readConfigIdInfo(file: string, text: string): ConfigFileInfo {
  const data = parseConfigText(text, file);
  if (!Object.prototype.hasOwnProperty.call(data, CONFIG_ID_KEY)) return { data, id: { state: 'missing' } };
  return { data, id: { state: 'present', value: data[CONFIG_ID_KEY], line: keyLine(file, text) } };
}

/** 1-based line of the top-level key, located in the text by format; 1 when not found. */
function keyLine(file: string, text: string): number {
  const ext = path.extname(file).toLowerCase();
  let offset = -1;
  if (ext === '.json') {
    offset = topLevelJsonKey(text, CONFIG_ID_KEY);
  } else if (ext === '.toml') {
    const beforeTables = text.split(/^\s*\[/m)[0];
    offset = beforeTables.search(new RegExp(`^[ \\t]*["']?${CONFIG_ID_KEY}["']?[ \\t]*=`, 'm'));
  } else {
    const doc = YAML.parseDocument(text);
    if (YAML.isMap(doc.contents)) {
      const pair = doc.contents.items.find((p) => YAML.isScalar(p.key) && p.key.value === CONFIG_ID_KEY);
      offset = YAML.isScalar(pair?.key) ? (pair!.key as YAML.Scalar).range?.[0] ?? -1 : -1;
    }
  }
  return offset < 0 ? 1 : text.slice(0, offset).split('\n').length;
}

/** Offset of `"key"` used as a key of the top-level JSON object (not nested), or -1. */
function topLevelJsonKey(text: string, key: string): number {
  const colon = /\s*:/y;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    else if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      colon.lastIndex = end + 1;
      if (depth === 1 && colon.test(text) && JSON.parse(text.slice(i, end + 1)) === key) return i;
      i = end;
    }
  }
  return -1;
}

/**
 * Adds `_minions_config_id: <id>` to a config file that has none, as the first top-level key:
 *
 * - JSON: `"_minions_config_id": "<id>",` right after the opening `{`, in the file's indentation
 *   (JSON has no comments, so no generated comment);
 * - YAML: {@link GENERATED_COMMENT} and `_minions_config_id: "<id>"` at the top of the document
 *   (after `---` when the file has one), at the indentation of the top-level keys;
 * - TOML: {@link GENERATED_COMMENT} and `_minions_config_id = "<id>"` at the top, before any table.
 *
 * The result is parsed again: it must hold the id at the top level and otherwise the same data.
 *
 * @param file the file's name (for the format; nothing is read or written).
 * @param text the file's current text, without `_minions_config_id`.
 * @param id the id to write.
 * @returns the new text.
 * @throws ConfigError when `text` does not parse; Error when the file's layout is one this
 *   cannot edit safely (a YAML flow mapping `{...}` at the top level), or when the check fails.
 */
export function addConfigId(file: string, text: string, id: string): string {
  const before = parseConfigText(text, file);
  const ext = path.extname(file).toLowerCase();
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  const body = text.slice(bom.length);
  let edited: string;
  if (ext === '.json') edited = bom + addJsonKey(body, id, newline);
  else if (ext === '.toml') edited = `${bom}${GENERATED_COMMENT}${newline}${CONFIG_ID_KEY} = "${id}"${newline}${body}`;
  else edited = bom + addYamlKey(file, body, id, newline);
  const after = parseConfigText(edited, file);
  const { [CONFIG_ID_KEY]: written, ...rest } = after;
  if (written !== id || JSON.stringify(rest) !== JSON.stringify(before)) {
    throw new CliError(`${file}: adding ${CONFIG_ID_KEY} would change the file's data; the file was not changed. Add the key by hand.`);
  }
  return edited;
}

function addJsonKey(body: string, id: string, newline: string): string {
  const open = body.indexOf('{');
  const close = body.lastIndexOf('}');
  const entry = `"${CONFIG_ID_KEY}": "${id}"`;
  if (body.slice(open + 1, close).trim() === '') return `${body.slice(0, open)}{${newline}  ${entry}${newline}}${body.slice(close + 1)}`;
  const firstKey = /\S/.exec(body.slice(open + 1))!;
  const between = body.slice(open + 1, open + 1 + firstKey.index);
  const indent = between.includes('\n') ? between.slice(between.lastIndexOf('\n') + 1) : null;
  const insert = indent === null ? `${between === '' ? '' : ' '}${entry}, ` : `${newline}${indent}${entry},`;
  return body.slice(0, open + 1) + insert + (indent === null ? body.slice(open + 1 + firstKey.index) : body.slice(open + 1));
}

function addYamlKey(file: string, body: string, id: string, newline: string): string {
  const doc = YAML.parseDocument(body);
  if (doc.contents !== null && !YAML.isMap(doc.contents)) throw new CliError(`${file}: the top level is not a mapping`);
  if (YAML.isMap(doc.contents) && doc.contents.flow) {
    throw new CliError(`${file}: the top-level mapping is written in flow style ({ ... }); add ${CONFIG_ID_KEY} by hand`);
  }
  const firstKey = YAML.isMap(doc.contents) ? doc.contents.items[0]?.key : undefined;
  const keyOffset = YAML.isNode(firstKey) ? firstKey.range?.[0] : undefined;
  const indent = keyOffset === undefined ? '' : body.slice(body.lastIndexOf('\n', keyOffset - 1) + 1, keyOffset);
  const lines = `${indent}${GENERATED_COMMENT}${newline}${indent}${CONFIG_ID_KEY}: "${id}"${newline}`;
  const marker = /^---[ \t]*(#.*)?$/m.exec(body);
  const contentStart = keyOffset ?? body.length;
  if (marker && marker.index < contentStart) {
    const at = marker.index + marker[0].length;
    const rest = body.slice(at);
    const lineBreak = rest.startsWith('\r\n') ? 2 : rest.startsWith('\n') ? 1 : 0;
    return body.slice(0, at + lineBreak) + (lineBreak ? '' : newline) + lines + rest.slice(lineBreak);
  }
  return lines + body;
}
