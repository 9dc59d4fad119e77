import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { NODE_FLAGS } from './node-flags';
import type { Summary } from './summary';

/**
 * One worker of `sample:scale-out`: a child process of the sample (`main.js` with `--state` and
 * `--source`), its stderr passed on with a `[worker i]` prefix, its `--json` summary read from
 * the last stdout line once it has stopped.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code, or the signal's name when killed by one. */
  readonly exited: Promise<number | NodeJS.Signals>;
  private stdout = '';
  private stderrTail: string[] = [];

  constructor(readonly number: number, args: string[]) {
    this.child = spawn(process.execPath, [...NODE_FLAGS, join(__dirname, 'main.js'), ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (s: string) => { this.stdout += s; });
    let rest = '';
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      const lines = (rest + s).split('\n');
      rest = lines.pop()!;
      for (const line of lines) {
        process.stderr.write(`[worker ${number}] ${line}\n`);
        this.stderrTail = [...this.stderrTail.slice(-19), line];
      }
    });
    this.exited = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => resolve(code ?? signal!));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Stops it gracefully (SIGTERM: it hands back what it holds and prints its summary); resolves with its summary. */
  async stop(): Promise<Summary | undefined> {
    if (this.running) this.child.kill('SIGTERM');
    await this.exited;
    return this.summary();
  }

  /** Its `--json` summary, once it has exited after printing one. */
  summary(): Summary | undefined {
    const line = this.stdout.trim().split('\n').pop();
    if (!line?.startsWith('{')) return undefined;
    return JSON.parse(line) as Summary;
  }

  /** The last lines it wrote on stderr, for a report of its failure. */
  lastErrors(): string {
    return this.stderrTail.join('\n');
  }
}
