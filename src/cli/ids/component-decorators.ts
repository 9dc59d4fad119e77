/**
 * Finds `@minion(...)`, `@pipeline(...)` and `@resource(...)` decorators in TypeScript source
 * text with the TypeScript compiler's parser (no type checking, no other file read), and what
 * their `id` option holds.
 */
import type * as TS from 'typescript';
import { CliError } from '../cli-error';
import { loadTypeScript } from './typescript';

/** The three decorated component kinds. */
export type ComponentKind = 'minion' | 'pipeline' | 'resource';

const KINDS: ReadonlySet<string> = new Set<ComponentKind>(['minion', 'pipeline', 'resource']);

/** What a decorator's `id` option holds, as far as the source text tells. */
export type IdOption =
  /** No `id` option. */
  | { state: 'missing' }
  /** A string: written inline, or a module-level `const` of this file holding a string literal. */
  | { state: 'present'; value: string; line: number }
  /** Something the source text alone cannot settle (a spread, a call, an imported constant...). */
  | { state: 'unverifiable'; reason: string };

/** A text replacement: `text` replaces the characters `[start, end)`. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** One component decorator found in a file. */
export interface DecoratorSite {
  kind: ComponentKind;
  /** The decorated class's name, or `(anonymous class)`. */
  className: string;
  /** 1-based line of the `@`. */
  line: number;
  id: IdOption;
  /**
   * When `id` is missing: the edits that add `id: '<value>'` to the decorator's options, written
   * the way the surrounding code is (quotes, one-line or one-property-per-line, trailing commas).
   */
  addId?: (value: string) => TextEdit[];
}

/**
 * Lists the component decorators of a TypeScript file.
 *
 * A decorator counts when it is a call of a name imported under the names `minion`,
 * `pipeline` or `resource` (from any module: `'minions'`, a re-exporting module of the
 * project...), directly or aliased (`import { minion as m }`), or of such a name on a namespace
 * import (`import * as M from 'minions'; @M.minion(...)`). Class declarations and class
 * expressions anywhere in the file are searched.
 *
 * @param fileName the file's name (its extension picks TS or TSX parsing; nothing is read).
 * @param text the file's text.
 * @returns the sites in source order.
 */
export function findComponentDecorators(fileName: string, text: string): DecoratorSite[] {
  const ts = loadTypeScript();
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(ts, fileName));
  const imports = importedKinds(ts, sf);
  const constants = stringConstants(ts, sf);
  const quote = preferredQuote(ts, sf);
  const newline = text.includes('\r\n') ? '\r\n' : '\n';
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;
  const sites: DecoratorSite[] = [];

  const visit = (node: TS.Node): void => {
    if ((ts.isClassDeclaration(node) || ts.isClassExpression(node)) && ts.canHaveDecorators(node)) {
      for (const decorator of ts.getDecorators(node) ?? []) {
        const call = decorator.expression;
        if (!ts.isCallExpression(call)) continue;
        const kind = decoratorKind(ts, call.expression, imports);
        if (!kind) continue;
        const site: DecoratorSite = {
          kind,
          className: node.name?.text ?? '(anonymous class)',
          line: lineOf(decorator.getStart(sf)),
          id: { state: 'missing' },
        };
        const options = call.arguments[0];
        if (options === undefined) {
          site.addId = (value) => [{ start: call.arguments.pos, end: call.arguments.end, text: `{ id: ${quote}${value}${quote} }` }];
        } else if (ts.isObjectLiteralExpression(options)) {
          site.id = idOption(ts, options, constants, lineOf);
          if (site.id.state === 'missing') {
            site.addId = (value) => addProperty(sf, text, options, `id: ${quote}${value}${quote}`, newline);
          }
        } else {
          site.id = { state: 'unverifiable', reason: 'the decorator options are not an object literal' };
        }
        sites.push(site);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return sites;
}

function scriptKind(ts: typeof TS, fileName: string): TS.ScriptKind {
  return fileName.toLowerCase().endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

interface ImportedKinds {
  /** Local name -> kind, for `import { minion }` and `import { minion as m }`. */
  names: Map<string, ComponentKind>;
  /** Local names of namespace imports, `import * as M from ...`. */
  namespaces: Set<string>;
}

function importedKinds(ts: typeof TS, sf: TS.SourceFile): ImportedKinds {
  const names = new Map<string, ComponentKind>();
  const namespaces = new Set<string>();
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !statement.importClause || statement.importClause.isTypeOnly) continue;
    const bindings = statement.importClause.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) namespaces.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const imported = (element.propertyName ?? element.name).text;
        if (!element.isTypeOnly && KINDS.has(imported)) names.set(element.name.text, imported as ComponentKind);
      }
    }
  }
  return { names, namespaces };
}

function decoratorKind(ts: typeof TS, callee: TS.Expression, imports: ImportedKinds): ComponentKind | undefined {
  if (ts.isIdentifier(callee)) return imports.names.get(callee.text);
  if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && imports.namespaces.has(callee.expression.text)) {
    const name = callee.name.text;
    return KINDS.has(name) ? (name as ComponentKind) : undefined;
  }
  return undefined;
}

/** Module-level `const NAME = 'literal'` (also `as const`) of the file: name -> value and line. */
function stringConstants(ts: typeof TS, sf: TS.SourceFile): Map<string, { value: string; pos: number }> {
  const out = new Map<string, { value: string; pos: number }>();
  for (const statement of sf.statements) {
    if (!ts.isVariableStatement(statement) || !(statement.declarationList.flags & ts.NodeFlags.Const)) continue;
    for (const declaration of statement.declarationList.declarations) {
      const value = declaration.initializer && stringValue(ts, declaration.initializer);
      if (ts.isIdentifier(declaration.name) && value !== undefined) out.set(declaration.name.text, { value, pos: declaration.getStart(sf) });
    }
  }
  return out;
}

function stringValue(ts: typeof TS, expression: TS.Expression): string | undefined {
  let e = expression;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) ? e.text : undefined;
}

function idOption(
  ts: typeof TS,
  options: TS.ObjectLiteralExpression,
  constants: Map<string, { value: string; pos: number }>,
  lineOf: (pos: number) => number,
): IdOption {
  let spread = false;
  for (const property of options.properties) {
    if (ts.isSpreadAssignment(property)) spread = true;
    const name = property.name && (ts.isIdentifier(property.name) || ts.isStringLiteral(property.name)) ? property.name.text : undefined;
    if (name !== 'id') continue;
    let value: TS.Expression | undefined;
    if (ts.isPropertyAssignment(property)) value = property.initializer;
    else if (ts.isShorthandPropertyAssignment(property)) value = property.name;
    else return { state: 'unverifiable', reason: 'id is not a plain property' };
    const literal = stringValue(ts, value);
    if (literal !== undefined) return { state: 'present', value: literal, line: lineOf(value.getStart()) };
    const constant = ts.isIdentifier(value) ? constants.get(value.text) : undefined;
    if (constant) return { state: 'present', value: constant.value, line: lineOf(constant.pos) };
    return { state: 'unverifiable', reason: 'id is neither a string literal nor a string constant declared in this file' };
  }
  return spread ? { state: 'unverifiable', reason: 'the options use a spread, which may hold an id' } : { state: 'missing' };
}

/** The quote character of the file's first import specifier; `'` by default. */
function preferredQuote(ts: typeof TS, sf: TS.SourceFile): string {
  for (const statement of sf.statements) {
    if (ts.isImportDeclaration(statement)) return sf.text[statement.moduleSpecifier.getStart(sf)] === '"' ? '"' : "'";
  }
  return "'";
}

/**
 * Edits appending `property` to an object literal in its own layout:
 * `{}` -> `{ id: 'x' }`; `{ a: 1 }` -> `{ a: 1, id: 'x' }`; one property per line -> a new line
 * with the last property's indentation, after any comment ending that line; a trailing comma
 * stays a trailing comma.
 */
function addProperty(sf: TS.SourceFile, text: string, object: TS.ObjectLiteralExpression, property: string, newline: string): TextEdit[] {
  const open = object.getStart(sf);
  const close = object.getEnd() - 1;
  const properties = object.properties;
  if (properties.length === 0) {
    const inner = text.slice(open + 1, close);
    return inner.trim() === '' ? [{ start: open + 1, end: close, text: ` ${property} ` }] : [{ start: open + 1, end: open + 1, text: ` ${property},` }];
  }
  const last = properties[properties.length - 1];
  const lastEnd = last.getEnd();
  const trailingComma = properties.hasTrailingComma;
  const afterLast = trailingComma ? text.indexOf(',', lastEnd) + 1 : lastEnd;
  const lineOf = (pos: number): number => sf.getLineAndCharacterOfPosition(pos).line;
  if (lineOf(open) !== lineOf(last.getStart(sf))) {
    const lineStart = sf.getLineStarts()[lineOf(last.getStart(sf))];
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    let eol = text.indexOf('\n', afterLast);
    if (eol < 0) eol = text.length;
    if (eol > 0 && text[eol - 1] === '\r') eol--;
    if (close >= eol) {
      const added = { start: eol, end: eol, text: `${newline}${indent}${property}${trailingComma ? ',' : ''}` };
      return trailingComma ? [added] : [{ start: lastEnd, end: lastEnd, text: ',' }, added];
    }
  }
  return trailingComma ? [{ start: afterLast, end: afterLast, text: ` ${property},` }] : [{ start: lastEnd, end: lastEnd, text: `, ${property}` }];
}

/**
 * Applies non-overlapping edits to `text` (in any order).
 * @throws Error when two edits overlap.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const edit of sorted) {
    if (edit.end > limit) throw new CliError('applyEdits: overlapping edits (a bug in minions stamp; the file was not changed)');
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}
