import type * as TS from 'typescript';
import { CliError } from '../cli-error';

let loaded: typeof TS | undefined;

/**
 * The TypeScript compiler API, loaded on first use. `typescript` is an optional peer dependency
 * of `minions`: only the commands that parse sources (`minions stamp ids|all`,
 * `minions doctor ids`) need it, so `run`, `inspect` and the library itself work without it.
 * @param command the command that needs it, named in the error (`stamp`, `doctor`).
 * @param load how to load the package (replaced in tests).
 * @throws CliError (exit 1) naming the command and the install command when `typescript` is not
 *   installed; any other error of loading it as it is.
 */
export function loadTypeScript(command = 'stamp', load: () => unknown = () => require('typescript')): typeof TS {
  if (loaded) return loaded;
  try {
    loaded = load() as typeof TS;
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' && /'typescript'/.test((e as Error).message)) {
      throw new CliError(`${command} needs the typescript package: npm install -D typescript`, 1, { cause: e });
    }
    throw e;
  }
  return loaded;
}
