import type * as Nats from 'nats';
import { JetStreamError } from '../../core/errors';

/**
 * Loads the `nats` package on first use, so the rest of minions installs and starts without it.
 * @throws JetStreamError (`problem: 'driver-missing'`) naming the package to install.
 */
export function loadNats(where: { servers: string; stream: string; consumer: string }): typeof Nats {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('nats') as typeof Nats;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== 'MODULE_NOT_FOUND' || !/['"]nats['"]/.test(String((error as Error).message))) throw error;
    throw new JetStreamError({ ...where, problem: 'driver-missing' },
      'JetStreamPipeline needs the `nats` package (version 2), which is not installed: run `npm install nats@2` in your project.', { cause: error });
  }
}
