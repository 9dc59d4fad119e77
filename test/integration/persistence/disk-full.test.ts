import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DiskFullError, Gru, InMemoryLogger, InMemoryMetrics, Minion, Pipeline, SqliteStateStore, minion, pipeline, step,
  type OrchestrationStopInfo, type WorkflowOutcome,
} from 'minions';
import { describeWithTmpfs } from '../../support/tmpfs';

/**
 * A real full disk: a small tmpfs mounted for the test (the machine must allow `mount`, as root
 * in this project's CI does), filled with a filler file until the kernel says ENOSPC.
 */
class SmallDisk {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-full-'));
  private filler = path.join(this.dir, 'filler');

  mount(sizeKiB: number): void {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', this.dir]);
  }

  /** Writes until the filesystem refuses: every later write finds the disk full. */
  fill(): void {
    const fd = fs.openSync(this.filler, 'a');
    const chunk = Buffer.alloc(16 * 1024, 1);
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    } finally {
      fs.closeSync(fd);
    }
  }

  free(): void {
    fs.rmSync(this.filler, { force: true });
  }

  unmount(): void {
    try { execFileSync('umount', [this.dir]); } finally { fs.rmSync(this.dir, { recursive: true, force: true }); }
  }
}

class Ev { n = 0; pad = ''; }
class Ctx { n = 0; }
const EVENTS = 300;

@pipeline({ event: Ev })
class Numbers extends Pipeline<Ev> {
  static produced = 0;
  async *events() {
    for (let n = 1; n <= EVENTS; n++) {
      Numbers.produced++;
      yield Object.assign(new Ev(), { n, pad: 'x'.repeat(500) });
    }
  }
}

@minion({ event: Ev, context: Ctx })
class Counts extends Minion<Ev, Ctx> {
  @step async one() { this.context.n = this.event.n; }
  @step async two() { this.context.n++; }
}

/** Resolves when `check()` holds, checked on every workflow end and log line. */
function eventually(check: () => boolean, subscribe: (wake: () => void) => void): Promise<void> {
  return new Promise((resolve) => {
    const wake = () => { if (check()) resolve(); };
    subscribe(wake);
    wake();
  });
}

describeWithTmpfs('SEMANTICS 10: a full disk is a named condition', () => {
  let disk: SmallDisk;
  let gru: Gru | undefined;
  beforeEach(() => {
    disk = new SmallDisk();
    disk.mount(8192);
    Numbers.produced = 0;
  });
  afterEach(async () => {
    await gru?.shutdown();
    gru = undefined;
    disk.unmount();
  });

  it('intake pauses while the disk is full, one error line says so, and everything finishes once space returns', async () => {
    const outcomes: WorkflowOutcome[] = [];
    const wakes: Array<() => void> = [];
    const logger = new InMemoryLogger();
    const origLog = logger.log.bind(logger);
    logger.log = (...args: Parameters<InMemoryLogger['log']>) => { origLog(...args); for (const w of wakes) w(); };
    const metrics = new InMemoryMetrics();
    gru = await Gru.create({
      stateStore: new SqliteStateStore({ path: path.join(disk.dir, 'minions.db') }), logger, metrics,
      persistenceRetry: { delayMs: 20, maxDelayMs: 200 }, bufferSize: 16, maxInFlight: 8,
      hooks: { workflowEnded: ({ outcome }) => { outcomes.push(outcome); for (const w of wakes) w(); } },
    });
    disk.fill();
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Numbers, minion: Counts });
    await eventually(() => logger.entries.some((e) => e.message === 'Disk full: intake paused until space returns'), (w) => wakes.push(w));
    expect(metrics.value('pipeline_disk_full_paused')).toBe(1);
    const line = logger.entries.find((e) => e.message === 'Disk full: intake paused until space returns');
    expect(line).toMatchObject({ level: 'error', fields: { location: `the state store ${path.join(disk.dir, 'minions.db')}` } });
    // Held back: what was produced fits in the buffer and the workflows in flight.
    const producedWhileFull = Numbers.produced;
    expect(producedWhileFull).toBeLessThan(16 + 8 + 2);

    disk.free();
    await gru.whenIdle(orchestrationId);
    expect(outcomes.filter((o) => o === 'succeeded')).toHaveLength(EVENTS);
    expect(outcomes.filter((o) => o !== 'succeeded')).toEqual([]);
    expect(metrics.value('pipeline_disk_full_paused')).toBe(0);
    expect(logger.entries.some((e) => e.message === 'Disk writable again: intake resumed')).toBe(true);
    // Bounded logging: a few lines per cause, not one per checkpoint.
    const repeated = logger.entries.filter((e) => e.message === 'Workflow continuing after persistence failure' || e.message === 'Disk still full');
    expect(repeated.length).toBeLessThan(20);
  });

  it('past diskFullTimeoutMs the orchestration stops as failed with a DiskFullError naming the file; its workflows keep their checkpoints', async () => {
    const stops: OrchestrationStopInfo[] = [];
    let onStop!: () => void;
    const stopped = new Promise<void>((r) => { onStop = r; });
    const dbPath = path.join(disk.dir, 'minions.db');
    gru = await Gru.create({
      stateStore: new SqliteStateStore({ path: dbPath }), logger: new InMemoryLogger(), metrics: null,
      persistenceRetry: { delayMs: 20, maxDelayMs: 100 }, diskFullTimeoutMs: 300, stopGraceMs: 0, cancelTimeoutMs: 200,
      hooks: { orchestrationStopped: (info) => { stops.push(info); onStop(); } },
    });
    disk.fill();
    const { orchestrationId } = await gru.startOrchestration({ pipeline: Numbers, minion: Counts });
    await stopped;
    expect(stops.map((s) => s.orchestrationId)).toEqual([orchestrationId]);
    const info = stops[0];
    expect(info.state).toBe('failed');
    expect(info.error).toBeInstanceOf(DiskFullError);
    expect(info.error?.message).toContain(dbPath);
    expect(info.error?.message).toMatch(/The disk is full/);
  });
});
