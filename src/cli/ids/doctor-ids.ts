/**
 * `minions doctor ids`: read-only checks of component ids in TypeScript sources and config ids
 * in config files.
 */
import * as fs from 'node:fs';
import { CONFIG_ID_KEY, isCanonicalUuid } from '../../index';
import { findComponentDecorators } from './component-decorators';
import { readConfigIdInfo } from './config-id-file';
import { displayPath, type ProjectFiles } from './project-files';

/** The kinds of finding, stable for scripts (`--json`). */
export type FindingCode =
  | 'missing-component-id'
  | 'invalid-component-id'
  | 'duplicate-component-id'
  | 'unverifiable-component-id'
  | 'missing-config-id'
  | 'invalid-config-id'
  | 'duplicate-config-id'
  | 'unreadable-file';

/** One problem, at a file and line. */
export interface Finding {
  /** The file, relative to the working directory when inside it. */
  file: string;
  /** 1-based line. */
  line: number;
  code: FindingCode;
  message: string;
}

interface IdUse {
  file: string;
  line: number;
  what: string;
}

/**
 * Checks the files (see `collectProjectFiles`) and lists what is wrong, sorted by file, then line:
 *
 * - sources: a `@minion`/`@pipeline`/`@resource` without `id` (missing), with an id that is
 *   not a canonical lowercase UUID (invalid), with an id the text cannot settle (unverifiable),
 *   or sharing its id with another decorator of the same kind anywhere in the files (duplicate,
 *   reported at each place, naming the others);
 * - configs: no top-level `_minions_config_id` (missing), one that is not a canonical UUID
 *   string (invalid; the runtime accepts any non-blank string, but `stamp` writes UUIDs), or the
 *   same id in two files (duplicate);
 * - a file that cannot be read or parsed (unreadable).
 *
 * A JSON file found by a directory walk whose top level holds an `orchestrations` array is a
 * `minions run` entry, not a config, and is skipped. Nothing is written.
 */
export function doctorIds(files: ProjectFiles): Finding[] {
  const findings: Finding[] = [];
  const componentIds = new Map<string, IdUse[]>();
  const configIds = new Map<string, IdUse[]>();
  const add = (file: string, line: number, code: FindingCode, message: string): void => {
    findings.push({ file: displayPath(file), line, code, message });
  };

  for (const file of files.sources) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      add(file, 1, 'unreadable-file', (e as Error).message);
      continue;
    }
    for (const site of findComponentDecorators(file, text)) {
      const what = `${site.className} (@${site.kind})`;
      if (site.id.state === 'missing') {
        add(file, site.line, 'missing-component-id', `${what} has no id: run \`minions stamp ids ${displayPath(file)}\``);
      } else if (site.id.state === 'unverifiable') {
        add(file, site.line, 'unverifiable-component-id', `${what}: cannot check the id, ${site.id.reason}; write it as a string literal`);
      } else if (!isCanonicalUuid(site.id.value)) {
        add(file, site.id.line, 'invalid-component-id', `${what} id ${JSON.stringify(site.id.value)} is not a canonical lowercase UUID`);
      } else {
        const key = `${site.kind}\0${site.id.value}`;
        componentIds.set(key, [...(componentIds.get(key) ?? []), { file, line: site.id.line, what }]);
      }
    }
  }
  for (const [key, uses] of componentIds) {
    if (uses.length < 2) continue;
    const id = key.slice(key.indexOf('\0') + 1);
    for (const use of uses) {
      const others = uses.filter((u) => u !== use).map((u) => `${displayPath(u.file)}:${u.line} ${u.what}`);
      add(use.file, use.line, 'duplicate-component-id', `${use.what} id ${id} is also used by ${others.join(', ')}`);
    }
  }

  for (const file of files.configs) {
    let info: ReturnType<typeof readConfigIdInfo>;
    try {
      info = readConfigIdInfo(file, fs.readFileSync(file, 'utf8'));
    } catch (e) {
      add(file, 1, 'unreadable-file', (e as Error).message.split('\n')[0]);
      continue;
    }
    if (!files.explicit.has(file) && isRunEntry(file, info.data)) continue;
    if (info.id.state === 'missing') {
      add(file, 1, 'missing-config-id', `no top-level ${CONFIG_ID_KEY}: run \`minions stamp config-ids ${displayPath(file)}\``);
    } else if (!isCanonicalUuid(info.id.value)) {
      add(file, info.id.line, 'invalid-config-id', `${CONFIG_ID_KEY} ${JSON.stringify(info.id.value)} is not a canonical lowercase UUID`);
    } else {
      const id = info.id.value;
      configIds.set(id, [...(configIds.get(id) ?? []), { file, line: info.id.line, what: CONFIG_ID_KEY }]);
    }
  }
  for (const [id, uses] of configIds) {
    if (uses.length < 2) continue;
    for (const use of uses) {
      const others = uses.filter((u) => u !== use).map((u) => `${displayPath(u.file)}:${u.line}`);
      add(use.file, use.line, 'duplicate-config-id', `${CONFIG_ID_KEY} ${id} is also used by ${others.join(', ')}`);
    }
  }
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || (a.code < b.code ? -1 : 1)));
}

/** A `minions run` JSON entry file: `{ "orchestrations": [...] }`. */
export function isRunEntry(file: string, data: Record<string, unknown>): boolean {
  return file.toLowerCase().endsWith('.json') && Array.isArray(data.orchestrations);
}
