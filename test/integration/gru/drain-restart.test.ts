import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  Gru, InMemoryLogger, Minion, OrchestrationNotFoundError, Pipeline, Resource, ResourceNotFoundError, SqliteStateStore, minion, pipeline, resource, step,
} from 'minions';
import { Tally } from '../../support/events';

class Job { n = 0; }
class Ctx { n = 0; }

/** Events pushed by the test, one queue per pipeline class. */
class Feed {
  private readonly queue: Job[] = [];
  private wake = () => {};
  push(...ns: number[]): void { for (const n of ns) this.queue.push(Object.assign(new Job(), { n })); this.wake(); }
  async *events(): AsyncGenerator<Job> {
    for (;;) {
      while (this.queue.length > 0) yield this.queue.shift()!;
      await new Promise<void>((r) => { this.wake = r; });
    }
  }
}
let feeds = { a: new Feed(), b: new Feed(), c: new Feed() };

@pipeline({ event: Job })
class FeedA extends Pipeline<Job> { events() { return feeds.a.events(); } }
@pipeline({ event: Job })
class FeedB extends Pipeline<Job> { events() { return feeds.b.events(); } }
@pipeline({ event: Job })
class FeedC extends Pipeline<Job> { events() { return feeds.c.events(); } }

/** What happened, in order: constructions, startups, shutdowns and handled events. */
let journal: string[] = [];
let handled = new Tally();
/** A step of `Gated` waits here while set. */
let gate: Promise<void> | undefined;

@resource()
class Database extends Resource {
  constructor() { super(); journal.push('new Database'); }
  async startup() { journal.push('Database startup'); }
  async shutdown() { journal.push('Database shutdown'); }
}

@resource()
class Cache extends Resource {
  constructor(readonly db: Database) { super(); journal.push('new Cache'); }
  async startup() { journal.push('Cache startup'); }
  async shutdown() { journal.push('Cache shutdown'); }
}

@resource()
class Mailer extends Resource {
  constructor() { super(); journal.push('new Mailer'); }
}

@minion({ event: Job, context: Ctx })
class Gated extends Minion<Job, Ctx> {
  constructor(readonly db: Database) { super(); journal.push('new Gated'); }
  async shutdown() { journal.push('Gated shutdown'); }
  @step async one() {
    if (gate) await Promise.race([gate, new Promise((r) => this.signal.addEventListener('abort', r))]);
    this.signal.throwIfAborted();
    journal.push(`Gated ${this.event.n}`);
    handled.mark();
  }
}

@minion({ event: Job, context: Ctx })
class Cached extends Minion<Job, Ctx> {
  constructor(readonly cache: Cache) { super(); journal.push('new Cached'); }
  async startup() { journal.push('Cached startup'); }
  async shutdown() { journal.push('Cached shutdown'); }
  @step async one() { journal.push(`Cached ${this.event.n}`); handled.mark(); }
}

@minion({ event: Job, context: Ctx })
class Mailing extends Minion<Job, Ctx> {
  constructor(readonly mailer: Mailer) { super(); journal.push('new Mailing'); }
  @step async one() { journal.push(`Mailing ${this.event.n}`); handled.mark(); }
}

describe('Drain, restart and restart of a resource', () => {
  let gru: Gru | undefined;
  let dir: string;
  beforeEach(() => {
    journal = [];
    gate = undefined;
    handled = new Tally();
    feeds = { a: new Feed(), b: new Feed(), c: new Feed() };
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-drain-'));
  });
  afterEach(async () => {
    await gru?.shutdown();
    gru = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const create = () => Gru.create({ stateStore: new SqliteStateStore({ path: path.join(dir, 'state.db') }), logger: new InMemoryLogger(), metrics: null, stopGraceMs: 0 });

  it('drainOrchestration: it takes no more events, finishes what is in flight, then stops; the state is draining meanwhile', async () => {
    gru = await create();
    const { orchestrationId: id } = await gru.startOrchestration({ pipeline: FeedA, minion: Gated });
    let open!: () => void;
    gate = new Promise((r) => { open = r; });
    feeds.a.push(1);
    while (gru.snapshot().orchestrations[0].inflightWorkflows === 0) await new Promise((r) => setImmediate(r));
    const drained = gru.drainOrchestration(id);
    expect(gru.snapshot().orchestrations[0].state).toBe('draining');
    expect(gru.readiness()).toEqual({ ready: false, reasons: [`orchestration ${id} is draining`] });
    feeds.a.push(2);
    open();
    const result = await drained;
    expect(result).toMatchObject({ orchestrationId: id, stopped: true, unfinishedWorkflows: 0, errors: [] });
    expect(journal.filter((j) => /^Gated \d/.test(j))).toEqual(['Gated 1']);
    expect(journal).toContain('Database shutdown');
    expect(gru.snapshot().orchestrations).toEqual([]);
    await expect(gru.drainOrchestration(id)).rejects.toBeInstanceOf(OrchestrationNotFoundError);
  });

  it('a drain past its deadline interrupts what still runs; the workflow resumes at the next start', async () => {
    gru = await create();
    const { orchestrationId: id } = await gru.startOrchestration({ pipeline: FeedA, minion: Gated });
    gate = new Promise(() => undefined);
    feeds.a.push(7);
    while (gru.snapshot().orchestrations[0].inflightWorkflows === 0) await new Promise((r) => setImmediate(r));
    const result = await gru.drainOrchestration(id, { timeoutMs: 20 });
    expect(result.unfinishedWorkflows).toBe(1);
    gate = undefined;
    const again = await gru.startOrchestration({ pipeline: FeedA, minion: Gated });
    expect(again.resumedWorkflows).toBe(1);
    await handled.reached(1);
    expect(journal.filter((j) => /^Gated \d/.test(j))).toEqual(['Gated 7']);
  });

  it('restartOrchestration: drains, then starts again with fresh instances of what no other running orchestration shares', async () => {
    gru = await create();
    const [a] = await gru.startOrchestrations([{ pipeline: FeedA, minion: Gated }, { pipeline: FeedB, minion: Cached }]);
    feeds.a.push(1);
    await handled.reached(1);
    const restarted = await gru.restartOrchestration(a.orchestrationId);
    expect(restarted).toEqual({ orchestrationId: a.orchestrationId, alreadyRunning: false, resumedWorkflows: 0 });
    // Database is shared with Cached (through Cache): kept. Gated itself is new.
    expect(journal.filter((j) => j === 'new Gated')).toHaveLength(2);
    expect(journal.filter((j) => j === 'new Database')).toHaveLength(1);
    feeds.a.push(2);
    await handled.reached(2);
    expect(journal.at(-1)).toBe('Gated 2');
    expect(gru.snapshot().orchestrations.map((o) => o.state)).toEqual(['running', 'running']);
  });

  it('restartResource drains exactly its dependents, restarts the resource after them and starts them again after it; others are untouched', async () => {
    gru = await create();
    await gru.startOrchestrations([{ pipeline: FeedA, minion: Gated }, { pipeline: FeedB, minion: Cached }, { pipeline: FeedC, minion: Mailing }]);
    const mailing = gru.snapshot().orchestrations.find((o) => o.minionClass === 'Mailing')!;
    journal = [];
    await gru.restartResource(Database);
    const order = (entry: string) => journal.indexOf(entry);
    expect(journal.filter((j) => j.startsWith('new '))).toEqual(expect.arrayContaining(['new Database', 'new Cache', 'new Gated', 'new Cached']));
    expect(journal).not.toContain('new Mailing');
    expect(journal).not.toContain('new Mailer');
    // Stopped dependents first, then the resource; started the resource first, then its dependents.
    expect(order('Cached shutdown')).toBeLessThan(order('Cache shutdown'));
    expect(order('Cache shutdown')).toBeLessThan(order('Database shutdown'));
    expect(order('Gated shutdown')).toBeLessThan(order('Database shutdown'));
    expect(order('Database startup')).toBeLessThan(order('Cache startup'));
    expect(order('Cache startup')).toBeLessThan(order('Cached startup'));
    const after = gru.snapshot().orchestrations;
    expect(after.map((o) => o.state)).toEqual(['running', 'running', 'running']);
    expect(after.find((o) => o.minionClass === 'Mailing')!.startedAt).toBe(mailing.startedAt);
    expect(gru.snapshot().resources.find((r) => r.className === 'Cache')!.dependsOn).toEqual([gru.snapshot().resources.find((r) => r.className === 'Database')!.identity]);
    feeds.b.push(1);
    feeds.c.push(1);
    await handled.reached(2);
    expect(journal).toEqual(expect.arrayContaining(['Cached 1', 'Mailing 1']));
    await gru.restartResource('Mailer');
    expect(journal.filter((j) => j === 'new Mailing')).toHaveLength(1);
    await expect(gru.restartResource('NoSuchResource')).rejects.toBeInstanceOf(ResourceNotFoundError);
  });
});
