/**
 * The parent's handle on one host: a worker thread or a child process, behind one interface
 * (send, messages, exit with code/signal, hard kill).
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { IsolationKind } from '../core/metadata';
import type { FromHost, ToHost } from './protocol';

/** How a host ended: exit code, signal, and the error a worker reported, if any. */
export interface HostExit {
  exitCode: number | null;
  signal: string | null;
  /** A worker's uncaught error or `ERR_WORKER_OUT_OF_MEMORY`. */
  error?: Error;
}

/** One running host. */
export interface HostProcess {
  /** @throws the serialization error when `message` cannot be cloned (then nothing was sent). */
  send(message: ToHost): void;
  /** Ends the host at once: `worker.terminate()` or SIGKILL. */
  kill(): void;
  /** Thread id of a worker, process id of a child. */
  readonly id: number | undefined;
}

/** The compiled entry a host runs, next to this file (`dist/src/isolation/*-host.js`). */
export function hostEntry(kind: IsolationKind): string {
  return path.join(__dirname, kind === 'worker' ? 'worker-host.js' : 'child-host.js');
}

/** True when the compiled host entry exists (false when running from TypeScript sources). */
export function hostEntryExists(kind: IsolationKind): boolean {
  return fs.existsSync(hostEntry(kind));
}

/**
 * Starts a host. `onMessage` receives what it sends; `onExit` is called once, when it has ended.
 * @param maxMemoryMiB worker: its V8 old-generation limit; process: unused here (the supervisor
 *   watches the reported RSS).
 */
export function spawnHost(kind: IsolationKind, maxMemoryMiB: number | undefined,
  onMessage: (m: FromHost) => void, onExit: (exit: HostExit) => void): HostProcess {
  if (kind === 'worker') {
    const worker = new Worker(hostEntry(kind), maxMemoryMiB ? { resourceLimits: { maxOldGenerationSizeMb: maxMemoryMiB } } : {});
    let error: Error | undefined;
    worker.on('message', onMessage);
    worker.on('error', (e) => { error ??= e; });
    worker.once('exit', (exitCode) => onExit({ exitCode, signal: null, error }));
    return { send: (m) => worker.postMessage(m), kill: () => { void worker.terminate(); }, id: worker.threadId };
  }
  const child = fork(hostEntry(kind), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.on('message', (m) => onMessage(m as FromHost));
  child.on('error', () => undefined); // a send to a dead child: the exit below reports the death
  child.once('exit', (exitCode, signal) => onExit({ exitCode, signal }));
  return {
    send: (m) => {
      // A child that disconnected is dying: its exit rejects what it was sent.
      if (child.connected) child.send(m);
    },
    kill: () => { child.kill('SIGKILL'); },
    id: child.pid,
  };
}
