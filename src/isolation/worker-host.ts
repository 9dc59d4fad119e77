/** Entry of a worker thread hosting one isolated resource (`@resource({ isolation: 'worker' })`). */
import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import type { ToHost } from './protocol';
import { serveHost } from './host';

if (!parentPort) {
  process.stderr.write('worker-host runs only as a worker thread started by Minions.\n');
  process.exit(1);
}
const port = parentPort!;
serveHost({
  send: (m) => port.postMessage(m),
  onMessage: (handler) => port.on('message', (m: ToHost) => handler(m)),
  exit: (code) => setImmediate(() => process.exit(code)),
}, false);
