/**
 * Child processes for integration tests: a compiled script run by this Node, output collected,
 * and a wait that fails early when the process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

/** A spawned process with its output collected. */
export interface Spawned {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code, or the signal's name when killed by one. */
  exited: Promise<number | NodeJS.Signals>;
}

/** Spawns `node ...nodeFlags <script> ...args` in `cwd`, with `env` added to this process's environment. */
export function spawnNode(script: string, args: string[], cwd: string, env: Record<string, string> = {}, nodeFlags: readonly string[] = []): Spawned {
  if (!fs.existsSync(script)) throw new Error(`${script} is missing: run \`npm run build\` first (npm test does it in pretest).`);
  const child = spawn(process.execPath, [...nodeFlags, script, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { err += s; });
  const exited = new Promise<number | NodeJS.Signals>((done, fail) => {
    child.once('error', fail);
    child.once('close', (code, signal) => done(code ?? signal!));
  });
  return { child, stdout: () => out, stderr: () => err, exited };
}

/**
 * Waits until `condition()` holds, checking it each time the process writes to stdout or stderr
 * (so a condition should read the output); fails if the process exits first. No time limit of
 * its own: the jest test timeout bounds it.
 */
export function waitFor(condition: () => boolean, spawned: Spawned): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const { stdout, stderr } = spawned.child;
    const stop = () => { stdout!.off('data', check); stderr!.off('data', check); };
    // Registered after spawnNode's own listeners: the collected output already holds the new chunk.
    function check(): void {
      if (!condition()) return;
      stop();
      resolve();
    }
    stdout!.on('data', check);
    stderr!.on('data', check);
    void spawned.exited.then((code) => {
      if (condition()) return check();
      stop();
      reject(new Error(`process exited (${code}) before the condition held\nstdout:\n${spawned.stdout()}\nstderr:\n${spawned.stderr()}`));
    }, (e: unknown) => { stop(); reject(e as Error); });
    check();
  });
}
