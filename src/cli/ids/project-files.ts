/**
 * Which files `minions stamp` and `minions doctor` look at: TypeScript sources and config
 * files, given one by one or found by walking directories.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../cli-error';

/** TypeScript source extensions scanned for component decorators (declaration files excluded). */
export const SOURCE_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts'];

/** Config file extensions scanned for `_minions_config_id`. */
export const CONFIG_EXTENSIONS: readonly string[] = ['.json', '.yaml', '.yml', '.toml'];

/** Directories never entered by a walk (names starting with `.` are skipped as well). */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['node_modules', 'dist', 'build', 'out', 'coverage', '__snapshots__']);

/**
 * Files of other tools that a directory walk never takes for minion configs. Given explicitly
 * on the command line, a file is always taken.
 */
const TOOL_FILES = [
  /^package(-lock)?\.json$/, /^npm-shrinkwrap\.json$/, /^(ts|js)config(\..*)?\.json$/, /^tsdoc\.json$/, /^typedoc\.json$/,
  /^jest\.config\.json$/, /^\.?(eslintrc|prettierrc|babelrc|swcrc)(\..*)?$/, /^(lerna|nx|turbo|renovate|vercel|angular|biome|deno)\.json$/,
  /^pnpm-(lock|workspace)\.yaml$/, /^(docker-)?compose(\..*)?\.ya?ml$/, /^docker-compose(\..*)?\.ya?ml$/, /^\.?gitlab-ci\.ya?ml$/,
  /^(mkdocs|codecov|\.?travis|appveyor|netlify)\.(ya?ml|toml)$/, /^(Cargo|pyproject|netlify|wrangler)\.toml$/,
];

/** What a command wants from the paths it was given. */
export interface FileSelection {
  /** TypeScript sources (component ids). */
  sources: boolean;
  /** Config files (config ids). */
  configs: boolean;
}

/** The files found, each list sorted and without duplicates, as absolute paths. */
export interface ProjectFiles {
  sources: string[];
  configs: string[];
  /** The files named on the command line (not found by a walk). */
  explicit: Set<string>;
}

/** True for `.ts`/`.tsx`/`.mts`/`.cts` files that are not declaration files (`.d.ts`...). */
export function isSourceFile(file: string): boolean {
  const base = path.basename(file).toLowerCase();
  return SOURCE_EXTENSIONS.includes(path.extname(base)) && !/\.d\.[mc]?ts$/.test(base);
}

/** True for `.json`/`.yaml`/`.yml`/`.toml` files. */
export function isConfigFile(file: string): boolean {
  return CONFIG_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** True when a directory walk leaves `file` alone: a well-known file of another tool (`package.json`, `tsconfig.json`, ...). */
export function isToolFile(file: string): boolean {
  const base = path.basename(file);
  return TOOL_FILES.some((re) => re.test(base));
}

/**
 * Collects the files to scan from command-line paths.
 *
 * - A file is taken when its kind is selected (a source for `sources`, a config for `configs`),
 *   even a tool file such as `package.json`.
 * - A directory is walked recursively, skipping hidden entries, {@link SKIPPED_DIRECTORIES} and
 *   tool files (see {@link isToolFile}); symbolic links to directories are not followed.
 *
 * @param paths paths as given, relative to the working directory or absolute.
 * @param selection which kinds of file to take.
 * @throws CliError (exit 1) for a path that does not exist, or a file of a kind not selected
 *   (e.g. a `.json` file for `stamp ids`), naming the path and what was expected.
 */
export function collectProjectFiles(paths: readonly string[], selection: FileSelection): ProjectFiles {
  const sources = new Set<string>();
  const configs = new Set<string>();
  const explicit = new Set<string>();
  for (const given of paths) {
    const absolute = path.resolve(given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(absolute);
    } catch {
      throw new CliError(`${given}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      walk(absolute, (file) => {
        if (selection.sources && isSourceFile(file)) sources.add(file);
        else if (selection.configs && isConfigFile(file) && !isToolFile(file)) configs.add(file);
      });
    } else if (selection.sources && isSourceFile(absolute)) {
      sources.add(absolute);
      explicit.add(absolute);
    } else if (selection.configs && isConfigFile(absolute)) {
      configs.add(absolute);
      explicit.add(absolute);
    } else {
      const wanted = [selection.sources ? `TypeScript sources (${SOURCE_EXTENSIONS.join(' ')})` : '', selection.configs ? `config files (${CONFIG_EXTENSIONS.join(' ')})` : '']
        .filter(Boolean)
        .join(' or ');
      throw new CliError(`${given}: not one of the files this command reads: ${wanted}`);
    }
  }
  return { sources: [...sources].sort(), configs: [...configs].sort(), explicit };
}

function walk(dir: string, visit: (file: string) => void): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(full, visit);
    } else if (entry.isFile()) {
      visit(full);
    }
  }
}

/** `file` relative to the working directory when inside it (as printed in findings), else absolute. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}
