import type * as TS from 'typescript';

let loaded: typeof TS | undefined;

/**
 * The TypeScript compiler API, loaded on first use, so that commands which do not parse
 * sources (`run`, `inspect`) do not pay for loading it.
 * @throws Error when the `typescript` package cannot be loaded.
 */
export function loadTypeScript(): typeof TS {
  loaded ??= require('typescript') as typeof TS;
  return loaded;
}
