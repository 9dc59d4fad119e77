import type * as Pg from 'pg';
import { StateStoreOpenError } from '../../core/errors';

/**
 * Loads the `pg` package on first use, so the rest of minions installs and starts without it.
 * @throws StateStoreOpenError (`problem: 'driver-missing'`) naming the package to install.
 */
export function loadPg(): typeof Pg {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('pg') as typeof Pg;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'MODULE_NOT_FOUND' || !/['"]pg['"]/.test(String((error as Error).message))) throw error;
    throw new StateStoreOpenError({ file: 'postgres', problem: 'driver-missing', sqliteCode: 'MODULE_NOT_FOUND' },
      'PostgresStateStore needs the `pg` package, which is not installed: run `npm install pg` in your project ' +
      '(and `npm install -D @types/pg` for TypeScript).', { cause: error });
  }
}
