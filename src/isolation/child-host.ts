/** Entry of a child process hosting one isolated resource (`@resource({ isolation: 'process' })`). */
import 'reflect-metadata';
import type { ToHost } from './protocol';
import { serveHost } from './host';

if (!process.send) {
  process.stderr.write('child-host runs only as a child process forked by Minions (with an IPC channel).\n');
  process.exit(1);
}
// The parent going away (its IPC channel closing) ends the child: it has no one to serve.
process.on('disconnect', () => process.exit(0));
/** Settles once the last message sent was handed to the channel, so an exit does not lose it. */
let flushed: Promise<void> = Promise.resolve();
serveHost({
  send: (m) => { flushed = new Promise((done) => process.send!(m, undefined, undefined, () => done())); },
  onMessage: (handler) => process.on('message', (m: ToHost) => handler(m)),
  exit: (code) => { void flushed.then(() => process.exit(code)); },
}, true);
