/**
 * The isolation tests' handle on test/fixtures/isolation/driver.ts, compiled: isolated
 * resources need compiled JavaScript (their worker or child host loads the class's module with a
 * plain `require`), so the Gru under test runs in this child process, driven over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const DRIVER = path.resolve(__dirname, '../../dist/test/fixtures/isolation/driver.js');

type Message = Record<string, any>;

/** The driver process with every message it sent, and waits on the next matching one. */
export class IsolationDriver {
  readonly child: ChildProcess;
  readonly messages: Message[] = [];
  private readonly waiters = new Set<() => void>();
  private stderr = '';

  constructor(scenario: 'calls' | 'fragile' | 'refused' | 'lifecycle', env: Record<string, string> = {}) {
    if (!fs.existsSync(DRIVER)) throw new Error(`${DRIVER} is missing: run \`npm run build\` first (npm test does it in pretest).`);
    this.child = fork(DRIVER, [scenario], { stdio: ['ignore', 'inherit', 'pipe', 'ipc'], env: { ...process.env, ...env } });
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => { this.stderr += s; });
    this.child.on('message', (m: Message) => { this.messages.push(m); for (const w of [...this.waiters]) w(); });
    this.child.once('exit', () => { for (const w of [...this.waiters]) w(); });
  }

  /** Resolves with the first message from index `from` that has `key` and passes `match`; fails if the driver exits first. */
  next(key: string, match: (value: any) => boolean = () => true, from = 0): Promise<any> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.slice(from).find((m) => typeof m === 'object' && key in m && match(m[key]));
        if (found) { this.waiters.delete(check); resolve(found[key]); return; }
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          this.waiters.delete(check);
          reject(new Error(`driver exited before sending ${key}:\n${this.stderr}`));
        }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends `message` and resolves with the whole next reply carrying `key`. */
  async ask(message: object, key: string): Promise<Message> {
    const from = this.messages.length;
    this.child.send(message);
    await this.next(key, () => true, from);
    return this.messages.slice(from).find((m) => typeof m === 'object' && key in m)!;
  }

  /**
   * Emits one event; `ended` resolves with its workflow's end and every error its steps caught.
   * `from` is where its messages start, for {@link next}.
   */
  emit(event: { n: number; mode: string }): { from: number; ended: Promise<{ outcome: string; context: any; caught: any[] }> } {
    const from = this.messages.length;
    this.child.send({ emit: event });
    const ended = this.next('ended', (e) => e.event.n === event.n, from).then((e) => ({
      outcome: e.outcome as string, context: e.context,
      caught: this.messages.slice(from).filter((m) => m.caught && m.n === event.n).map((m) => m.caught),
    }));
    return { from, ended };
  }

  /** Disconnects (the driver shuts its Gru down and exits) and waits for the exit. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    if (this.child.connected) this.child.disconnect();
    await exited;
  }
}
