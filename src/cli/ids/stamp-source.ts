/**
 * `minions stamp ids`: gives every component decorator without an `id` a fresh UUID, editing
 * the source text in place (everything else in the file is left byte for byte).
 */
import { randomUUID } from 'node:crypto';
import { CliError } from '../cli-error';
import { applyEdits, findComponentDecorators, type ComponentKind } from './component-decorators';

/** One decorator given an id. */
export interface StampedComponent {
  kind: ComponentKind;
  className: string;
  /** 1-based line of the decorator. */
  line: number;
  /** The id written. */
  id: string;
}

/** What stamping one file did (or would do). */
export interface SourceStampResult {
  /** The new text (equal to the input when nothing was stamped). */
  text: string;
  stamped: StampedComponent[];
  /** Decorators whose id the source text cannot settle, left alone (see `IdOption`). */
  unverifiable: Array<{ kind: ComponentKind; className: string; line: number; reason: string }>;
}

/**
 * Adds `id: '<uuid>'` to each `@minion`/`@pipeline`/`@resource` decorator of `text` that has
 * none (see `findComponentDecorators` for what counts). Decorators with an id, valid or not,
 * are left alone (`minions doctor ids` reports invalid ones).
 *
 * The edited text is parsed again as a check: the same decorators must be found, each stamped
 * one now holding its new id.
 *
 * @param fileName the file's name (for the parser; nothing is read or written).
 * @param text the file's text.
 * @param newId makes the ids; default `crypto.randomUUID` (v4, canonical lowercase).
 * @throws Error when the check fails (the file is then left unchanged by the caller).
 */
export function stampSourceIds(fileName: string, text: string, newId: () => string = randomUUID): SourceStampResult {
  const sites = findComponentDecorators(fileName, text);
  const stamped: StampedComponent[] = [];
  const unverifiable: SourceStampResult['unverifiable'] = [];
  const edits = [];
  for (const site of sites) {
    if (site.id.state === 'unverifiable') {
      unverifiable.push({ kind: site.kind, className: site.className, line: site.line, reason: site.id.reason });
    } else if (site.id.state === 'missing' && site.addId) {
      const id = newId();
      edits.push(...site.addId(id));
      stamped.push({ kind: site.kind, className: site.className, line: site.line, id });
    }
  }
  if (stamped.length === 0) return { text, stamped, unverifiable };
  const edited = applyEdits(text, edits);
  const again = findComponentDecorators(fileName, edited);
  const ids = new Set(again.flatMap((s) => (s.id.state === 'present' ? [s.id.value] : [])));
  if (again.length !== sites.length || stamped.some((s) => !ids.has(s.id))) {
    throw new CliError(`${fileName}: stamping would not leave the decorators readable; the file was not changed. Add the ids by hand.`);
  }
  return { text: edited, stamped, unverifiable };
}
