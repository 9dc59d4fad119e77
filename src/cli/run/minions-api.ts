import * as fs from 'node:fs';
import type * as Minions from '../../index';

/** The public face of the `minions` package (`src/index.ts`). */
export type MinionsApi = typeof Minions;

/**
 * The copy of the `minions` package that the user's code uses: the one `require('minions')`
 * finds from `projectDir`, when it is another copy than this binary's (a global or `npx`
 * install running a project with its own dependency); else this binary's own. Components must
 * be started by the Gru of the copy whose `Minion`/`Pipeline` classes they extend.
 *
 * @param projectDir where to resolve `minions` from (the entry file's directory).
 */
export function loadMinionsApi(projectDir: string): MinionsApi {
  const own = require.resolve('../../index');
  let theirs: string | undefined;
  try {
    theirs = require.resolve('minions', { paths: [projectDir] });
  } catch {
    theirs = undefined;
  }
  if (theirs !== undefined && fs.realpathSync(theirs) !== fs.realpathSync(own)) return require(theirs) as MinionsApi;
  return require('../../index') as MinionsApi;
}
