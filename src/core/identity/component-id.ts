/**
 * Component identity: an explicit canonical UUID,
 * or the fallback address `<path relative to the project root>:<ClassName>`, taken from the
 * file where the decorator ran.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidComponentError } from '../errors';

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True when `value` is a UUID in canonical form: 36 characters, lowercase hex, hyphens at
 * 8-4-4-4-12, no braces, no surrounding spaces. Any version and variant is accepted (as the
 * reference's `str(uuid.UUID(s)) == s` check does), including the nil UUID.
 */
export function isCanonicalUuid(value: unknown): value is string {
  return typeof value === 'string' && CANONICAL_UUID.test(value);
}

/**
 * Throws unless `id` is a canonical lowercase UUID (see {@link isCanonicalUuid}).
 * Decorators call it on their `id` option.
 *
 * @param id the value to check.
 * @param where who is asking, named first in the message, e.g. `'@minion(Watcher)'`.
 * @throws InvalidComponentError `"<where>: id must be a canonical lowercase UUID ... got <id>"`,
 *   with how to make one.
 */
export function assertCanonicalUuid(id: unknown, where: string): asserts id is string {
  if (isCanonicalUuid(id)) return;
  const shown = typeof id === 'string' ? JSON.stringify(id) : typeof id;
  throw new InvalidComponentError(
    `${where}: id must be a canonical lowercase UUID such as '3f1c9a52-8b0e-4d7a-9c21-5e6f70a8b9c4', got ${shown}. ` +
      'Generate one with crypto.randomUUID() or `minions stamp ids <paths>`, and write it in lowercase with hyphens.',
  );
}

/**
 * `target` as a POSIX path relative to `root` (`'src/app/watcher.ts'`), or, when `target` is
 * outside `root` (or on another drive), as an absolute POSIX path (`'/opt/x.ts'`, `'C:/x.ts'`).
 * Both may be relative: they are resolved against the working directory first. Lexical only:
 * symbolic links are not followed.
 */
export function toPortablePath(target: string, root: string): string {
  const absolute = path.resolve(target);
  const relative = path.relative(path.resolve(root), absolute);
  const outside = relative === '..' || relative.startsWith('..' + path.sep) || path.isAbsolute(relative);
  return toPosix(outside ? absolute : relative);
}

function toPosix(p: string): string {
  return path.sep === '/' ? p : p.split(path.sep).join('/');
}

/**
 * The fallback component identity when a decorator got no `id`:
 * `'<file relative to projectRoot, POSIX>:<className>'`, e.g. `'src/app/watcher.ts:Watcher'`,
 * or `'<absolute POSIX file>:<className>'` when the file is outside `projectRoot`.
 *
 * The file keeps its extension, so the same class has a different fallback id when run from
 * `.ts` sources (ts-jest, ts-node) and from compiled `.js` (`dist/`): fallback ids are for
 * development; durable deployments give explicit ids.
 *
 * @param filePath the file where the class was decorated (see {@link callerFile}); relative
 *   paths are resolved against the working directory.
 * @param className the class's `name`.
 * @param projectRoot default `process.cwd()`.
 */
export function fallbackAddress(filePath: string, className: string, projectRoot: string = process.cwd()): string {
  return `${toPortablePath(filePath, projectRoot)}:${className}`;
}

// This file lives in <src>/core/identity; <src> is `src` in the repository and `dist/src` once built.
const SRC_ROOT = path.resolve(__dirname, '..', '..');

/** Directories whose frames belong to Minions' own decorator machinery, not to the user. */
const INTERNAL_DIRS: readonly string[] = (() => {
  const roots = [SRC_ROOT];
  // Built code run with source maps reports frames at the original `src/` files.
  if (path.basename(path.dirname(SRC_ROOT)) === 'dist') roots.push(path.join(path.dirname(path.dirname(SRC_ROOT)), 'src'));
  return roots.flatMap((root) => [path.join(root, 'core') + path.sep, path.join(root, 'decorators') + path.sep]);
})();

/** Libraries that sit between a decorator and the decorated class's file on the stack. */
const HELPER_PACKAGES: readonly string[] = ['reflect-metadata', 'tslib', path.join('@swc', 'helpers'), path.join('@babel', 'runtime')].map(
  (name) => `${path.sep}node_modules${path.sep}${name}${path.sep}`,
);

const LINE_AND_COLUMN = /:\d+:\d+$/;

/**
 * Finds the file of the code that applied a decorator, from a V8 stack trace.
 *
 * Walks the frames from the innermost and skips: frames in this package's own `core/` and
 * `decorators/` directories (located from this file, so it works the same from `src/*.ts` under
 * ts-jest/ts-node, from `dist/src/*.js`, and whether or not the package sits in `node_modules`),
 * decorator helper libraries (`reflect-metadata`, `tslib`, `@swc/helpers`, `@babel/runtime`),
 * Node internals (`node:...`) and frames without a file (`<anonymous>`, `native`, `eval`).
 * `file://` URLs are turned into paths.
 *
 * @param depth how many further user files to skip: 0 (default) is the nearest one, the file
 *   holding the decorated class; 1 the file that called into it (for a user helper module that
 *   applies decorators on behalf of others), etc. Consecutive frames in one file count once.
 * @param stack a captured `new Error().stack`; by default one is captured here, with
 *   `Error.stackTraceLimit` raised to at least 64 for the capture.
 * @returns the absolute file path, or `undefined` when the stack shows no such frame (too
 *   short, or stack traces disabled).
 */
export function callerFile(depth = 0, stack?: string): string | undefined {
  const trace = stack ?? captureStack();
  if (!trace) return undefined;
  let remaining = depth;
  let previous: string | undefined;
  for (const line of trace.split('\n')) {
    const file = frameFile(line);
    if (file === undefined || isInternal(file) || file === previous) continue;
    if (remaining === 0) return file;
    remaining--;
    previous = file;
  }
  return undefined;
}

function captureStack(): string | undefined {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Math.max(64, Number.isFinite(limit) ? limit : 0);
  try {
    return new Error().stack;
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The file of one V8 frame line: `at fn (/abs/file.ts:12:34)`, `at /abs/file.js:1:2`,
 * `at async fn (file:///abs/f.mjs:1:2)`; undefined for `node:`, `<anonymous>`, `native`, eval frames.
 */
function frameFile(line: string): string | undefined {
  const text = line.trim();
  if (!text.startsWith('at ')) return undefined;
  let location = text.slice(3);
  if (location.endsWith(')')) {
    const open = location.indexOf(' (');
    if (open >= 0) location = location.slice(open + 2, -1);
  } else if (location.startsWith('async ')) {
    location = location.slice(6);
  }
  if (!LINE_AND_COLUMN.test(location)) return undefined;
  location = location.replace(LINE_AND_COLUMN, '');
  if (location.startsWith('file://')) {
    try {
      return fileURLToPath(location);
    } catch {
      return undefined;
    }
  }
  return path.isAbsolute(location) ? location : undefined;
}

function isInternal(file: string): boolean {
  const normal = path.normalize(file);
  return INTERNAL_DIRS.some((dir) => normal.startsWith(dir)) || HELPER_PACKAGES.some((dir) => normal.includes(dir));
}
