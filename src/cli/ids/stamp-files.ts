/**
 * `minions stamp`: adds missing component ids to TypeScript sources and `_minions_config_id`
 * to config files, writing each changed file once (unless dry-run).
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { CONFIG_ID_KEY } from '../../index';
import { addConfigId, readConfigIdInfo } from './config-id-file';
import { isRunEntry } from './doctor-ids';
import { displayPath, type ProjectFiles } from './project-files';
import { stampSourceIds } from './stamp-source';

/** What happened to one place in one file. */
export interface StampEntry {
  /** The file, relative to the working directory when inside it. */
  file: string;
  /** 1-based line, when the entry is about one place. */
  line?: number;
  action: 'stamped' | 'would-stamp' | 'unchanged' | 'left-alone' | 'skipped' | 'error';
  /** `'component'` (a decorator) or `'config'` (a config file). */
  target: 'component' | 'config';
  kind?: string;
  className?: string;
  /** The id written (or that would be). */
  id?: string;
  /** The line printed for people. */
  message: string;
}

/**
 * Stamps the files: each decorator without an id gets a fresh UUID v4 (see `stampSourceIds`),
 * each config without `_minions_config_id` gets one (see `addConfigId`). Files that need no
 * change are not written; with `dryRun` none is, and the report says what would be done.
 *
 * Errors in one file (unreadable, unparsable, a layout that cannot be edited safely) are
 * reported as `error` entries and do not stop the others.
 *
 * @param files from `collectProjectFiles`.
 * @param options `dryRun`: write nothing; `newId`: makes ids (default `crypto.randomUUID`).
 * @returns one entry per stamped place, per unchanged file, and per problem, in file order.
 */
export function stampFiles(files: ProjectFiles, options: { dryRun?: boolean; newId?: () => string } = {}): StampEntry[] {
  const entries: StampEntry[] = [];
  const newId = options.newId ?? randomUUID;
  const verb = options.dryRun ? 'would stamp' : 'stamped';
  const action = options.dryRun ? 'would-stamp' : 'stamped';
  for (const file of files.sources) {
    const shown = displayPath(file);
    try {
      const text = fs.readFileSync(file, 'utf8');
      const result = stampSourceIds(file, text, newId);
      for (const s of result.stamped) {
        entries.push({ file: shown, line: s.line, action, target: 'component', kind: s.kind, className: s.className, id: s.id,
          message: `${shown}:${s.line}: ${verb} ${s.className} (@${s.kind}) with id ${s.id}` });
      }
      for (const u of result.unverifiable) {
        entries.push({ file: shown, line: u.line, action: 'left-alone', target: 'component', kind: u.kind, className: u.className,
          message: `${shown}:${u.line}: left ${u.className} (@${u.kind}) alone: ${u.reason}` });
      }
      if (result.stamped.length === 0 && result.unverifiable.length === 0) {
        entries.push({ file: shown, action: 'unchanged', target: 'component', message: `${shown}: no missing component ids` });
      }
      if (result.stamped.length > 0 && !options.dryRun) fs.writeFileSync(file, result.text);
    } catch (e) {
      entries.push({ file: shown, action: 'error', target: 'component', message: `${shown}: ${(e as Error).message}` });
    }
  }
  for (const file of files.configs) {
    const shown = displayPath(file);
    try {
      const text = fs.readFileSync(file, 'utf8');
      const info = readConfigIdInfo(file, text);
      if (!files.explicit.has(file) && isRunEntry(file, info.data)) {
        entries.push({ file: shown, action: 'skipped', target: 'config', message: `${shown}: skipped, a minions run entry file` });
      } else if (info.id.state === 'present') {
        entries.push({ file: shown, line: info.id.line, action: 'unchanged', target: 'config', message: `${shown}: already has ${CONFIG_ID_KEY}` });
      } else {
        const id = newId();
        const edited = addConfigId(file, text, id);
        if (!options.dryRun) fs.writeFileSync(file, edited);
        entries.push({ file: shown, action, target: 'config', id, message: `${shown}: ${verb} ${CONFIG_ID_KEY} ${id}` });
      }
    } catch (e) {
      entries.push({ file: shown, action: 'error', target: 'config', message: `${shown}: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  return entries;
}
