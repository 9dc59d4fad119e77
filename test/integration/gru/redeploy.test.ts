import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';

const DIST = path.resolve(__dirname, '../../../dist');
const WORKER = path.join(DIST, 'test/fixtures/redeploy-worker.js');

/** The minion module the test edits: version `version`, with a second step when `extraStep`. */
function minionModule(version: string, extraStep = false): string {
  const source = `
    import { Minion, minion, step } from ${JSON.stringify(path.join(DIST, 'src/index.js'))};
    import { Job, JobCtx } from ${JSON.stringify(path.join(DIST, 'test/fixtures/redeploy-job.js'))};
    @minion({ id: '3f0c9a52-5d0e-4c59-9d6e-1a2b3c4d5e04', event: Job, context: JobCtx })
    export class Edited extends Minion<Job, JobCtx> {
      @step async first() {
        if (this.event.fail) throw new Error('failed on purpose');
        if (this.event.held) {
          const released = new Promise((r) => (globalThis as any).redeployHeld.set(this.event.n, r));
          process.send!({ holding: this.event.n });
          await released;
        }
        process.send!({ step: 'edited', version: ${JSON.stringify(version)}, n: this.event.n });
      }
      ${extraStep ? '@step async second() {}' : ''}
    }`;
  return ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true },
  }).outputText;
}

type Message = Record<string, any> | string;

/** The worker with every IPC message it sent, and a wait for the next one that matches. */
class Worker {
  readonly child: ChildProcess;
  readonly messages: Message[] = [];
  private readonly waiters = new Set<() => void>();
  readonly exited: Promise<number | null>;
  private stderr = '';

  constructor(args: string[]) {
    if (!fs.existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first (npm test does it in pretest).`);
    this.child = fork(WORKER, args, { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
    this.child.stderr!.setEncoding('utf8').on('data', (s: string) => { this.stderr += s; });
    this.child.on('message', (m: Message) => { this.messages.push(m); for (const w of [...this.waiters]) w(); });
    this.exited = new Promise((r) => this.child.once('exit', (code) => { r(code); for (const w of [...this.waiters]) w(); }));
  }

  send(m: object): void { this.child.send(m); }

  /** Resolves once the worker said `ready`; fails if it exits first. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.messages.includes('ready')) { this.waiters.delete(check); resolve(); }
        else if (this.child.exitCode !== null) { this.waiters.delete(check); reject(new Error(`worker exited: ${this.stderr}`)); }
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves with the first message (from index `from`) that `match` accepts; fails if the worker exits first. */
  next(match: (m: any) => boolean, from = 0): Promise<any> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.messages.slice(from).find((m) => typeof m === 'object' && match(m));
        if (found) { this.waiters.delete(check); resolve(found); return; }
        if (this.child.exitCode !== null) { this.waiters.delete(check); reject(new Error(`worker exited: ${this.stderr}`)); }
      };
      this.waiters.add(check);
      check();
    });
  }

  ask(m: object, key: string): Promise<any> {
    const from = this.messages.length;
    this.send(m);
    return this.next((x) => key in x, from);
  }
}

describe('Redeploy: restartOrchestration({ reload: true }) loads the minion module from disk again', () => {
  let dir: string;
  let worker: Worker | undefined;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-redeploy-')); });
  afterEach(async () => {
    if (worker && worker.child.exitCode === null) { worker.child.kill('SIGKILL'); await worker.exited; }
    worker = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs the new step code while another orchestration of the process never stops; code that no longer fits saved workflows is refused and the old keeps running', async () => {
    const modulePath = path.join(dir, 'edited.js');
    fs.writeFileSync(modulePath, minionModule('v1'));
    worker = new Worker([path.join(dir, 'state.db'), modulePath]);
    await worker.ready();

    worker.send({ emit: 'edited', n: 1 });
    worker.send({ emit: 'steady', n: 1 });
    expect(await worker.next((m) => m.step === 'edited' && m.n === 1)).toMatchObject({ version: 'v1' });
    await worker.next((m) => m.step === 'steady' && m.n === 1);
    const before = await worker.ask({ status: true }, 'status');
    const steadyBefore = before.status.find((o: any) => o.orchestrationId === before.steadyId);

    fs.writeFileSync(modulePath, minionModule('v2'));
    const redeployed = await worker.ask({ redeploy: true }, 'redeployed');
    expect(redeployed.redeployed).toMatchObject({ alreadyRunning: false });
    worker.send({ emit: 'edited', n: 2 });
    expect(await worker.next((m) => m.step === 'edited' && m.n === 2)).toMatchObject({ version: 'v2' });

    // A workflow of v2 is in flight (its checkpoint saved) when v3 changes the step list.
    worker.send({ emit: 'edited', n: 3, held: true });
    fs.writeFileSync(modulePath, minionModule('v3', true));
    await worker.next((m) => m.holding === 3);
    const refused = await worker.ask({ redeploy: true }, 'redeployFailed');
    expect(refused.redeployFailed.code).toBe('MINIONS_WORKFLOW_CONTEXT_TYPE_MISMATCH');
    worker.send({ release: 3 });
    expect(await worker.next((m) => m.step === 'edited' && m.n === 3)).toMatchObject({ version: 'v2' });
    worker.send({ emit: 'edited', n: 4 });
    expect(await worker.next((m) => m.step === 'edited' && m.n === 4)).toMatchObject({ version: 'v2' });

    worker.send({ emit: 'steady', n: 2 });
    expect(await worker.next((m) => m.step === 'steady' && m.n === 2)).toMatchObject({ instances: 1 });
    const after = await worker.ask({ status: true }, 'status');
    const steadyAfter = after.status.find((o: any) => o.orchestrationId === before.steadyId);
    expect(steadyAfter).toMatchObject({ state: 'running', startedAt: steadyBefore.startedAt });
  });

  it('logs the failed workflows it keeps once: the fit check before a redeploy reads them without a word', async () => {
    const modulePath = path.join(dir, 'edited.js');
    fs.writeFileSync(modulePath, minionModule('v1'));
    worker = new Worker([path.join(dir, 'state.db'), modulePath]);
    await worker.ready();

    worker.send({ emit: 'edited', n: 1, fail: true });
    await worker.next((m) => m.logged === 'Workflow failed'); // logged once its checkpoint is kept
    expect((await worker.ask({ kept: true }, 'kept')).kept).toBe(1);
    expect((await worker.ask({ logs: 'Kept failed workflows were not resumed' }, 'logs')).logs).toBe(0);

    fs.writeFileSync(modulePath, minionModule('v2'));
    expect((await worker.ask({ redeploy: true }, 'redeployed')).redeployed).toMatchObject({ alreadyRunning: false });
    expect((await worker.ask({ logs: 'Kept failed workflows were not resumed' }, 'logs')).logs).toBe(1);
    worker.send({ emit: 'edited', n: 2 });
    expect(await worker.next((m) => m.step === 'edited' && m.n === 2)).toMatchObject({ version: 'v2' });
    expect((await worker.ask({ kept: true }, 'kept')).kept).toBe(1); // still kept, not resumed
  });
});
