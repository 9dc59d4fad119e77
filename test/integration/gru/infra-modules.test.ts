import 'reflect-metadata';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ContainerModule, Gru, InMemoryLogger, InMemoryMetrics, InMemoryStateStore, Logger, Metrics, Minion, Pipeline, Resource, StateStore,
  infraModule, minion, pipeline, resource, step,
} from 'minions';

class Ev { n = 0; }
class Ctx { n = 0; }

@pipeline({ event: Ev })
class Three extends Pipeline<Ev> {
  async *events() { for (let n = 1; n <= 3; n++) yield Object.assign(new Ev(), { n }); }
}

/** Records the ports it received by constructor type. */
@resource()
class PortsSeen extends Resource {
  static last?: PortsSeen;
  constructor(readonly store: StateStore, readonly log: Logger, readonly metrics: Metrics) { super(); PortsSeen.last = this; }
  async note(n: number) { return n; }
}

@minion({ event: Ev, context: Ctx })
class Noted extends Minion<Ev, Ctx> {
  constructor(private readonly seen: PortsSeen) { super(); }
  @step async one() { this.context.n = await this.seen.note(this.event.n); }
}

/** A store that counts its saves, so a test can tell which store the runtime used. */
class CountingStore extends InMemoryStateStore {
  saves = 0;
  override async saveContext(workflowId: string, orchestrationId: string, blob: Uint8Array): Promise<void> {
    this.saves++;
    return super.saveContext(workflowId, orchestrationId, blob);
  }
}

/** Holds 127.0.0.1:8081 (the default metrics port) so a default metrics server could not start unnoticed. */
async function holdDefaultMetricsPort(): Promise<net.Server | undefined> {
  const server = net.createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(undefined)); // already held by someone else: just as good
    server.listen(8081, '127.0.0.1', () => resolve(server));
  });
}

describe('SEMANTICS 10: ports are swapped through the container', () => {
  let cwd: string;
  let dir: string;
  let held: net.Server | undefined;

  beforeEach(async () => {
    cwd = process.cwd();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-infra-'));
    process.chdir(dir);
    held = await holdDefaultMetricsPort();
    PortsSeen.last = undefined;
  });

  afterEach(async () => {
    process.chdir(cwd);
    await new Promise((r) => (held ? held.close(r) : r(undefined)));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('infraModule bindings are honoured: the runtime and the components use them, and no default is built', async () => {
    const store = new CountingStore();
    const logger = new InMemoryLogger();
    const metrics = new InMemoryMetrics();
    const gru = await Gru.create({ modules: [infraModule({ stateStore: store, logger, metrics })] });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Noted });
      await gru.whenIdle(orchestrationId);
      expect(store.saves).toBe(6); // 3 workflows x (workflow_start + 1 step)
      expect(logger.entries.some((e) => e.message === 'Orchestration started')).toBe(true);
      expect(metrics.get('pipeline_event_produced_total')).toBe(3);
      expect(PortsSeen.last?.store).toBe(store);
      expect(PortsSeen.last?.log).toBe(logger);
      expect(PortsSeen.last?.metrics).toBe(metrics);
    } finally {
      await gru.shutdown();
    }
    expect(fs.readdirSync(dir)).toEqual([]); // no minions.db, no logs/
  });

  it('a hand-written ContainerModule binding one port is honoured; the others fall back to explicit options', async () => {
    const logger = new InMemoryLogger();
    class MyLogger extends Logger {
      log(level: Parameters<Logger['log']>[0], message: string, fields?: Record<string, unknown>) { logger.log(level, message, fields); }
    }
    const module = new ContainerModule(({ bind }) => { bind(Logger).to(MyLogger).inSingletonScope(); });
    const gru = await Gru.create({ modules: [module], stateStore: null, metrics: null });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Noted });
      await gru.whenIdle(orchestrationId);
      expect(PortsSeen.last?.log).toBeInstanceOf(MyLogger);
      expect(logger.entries.some((e) => e.message === 'Orchestration started')).toBe(true);
    } finally {
      await gru.shutdown();
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('a class bound in transient scope still yields one instance, shared by the runtime and every component', async () => {
    const module = new ContainerModule(({ bind }) => { bind(StateStore).to(CountingStore); });
    const gru = await Gru.create({ modules: [module], logger: new InMemoryLogger(), metrics: null });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Noted });
      await gru.whenIdle(orchestrationId);
      const store = PortsSeen.last?.store as CountingStore;
      expect(store).toBeInstanceOf(CountingStore);
      expect(store.saves).toBe(6);
    } finally {
      await gru.shutdown();
    }
  });

  it('an explicit GruOptions field wins over a module binding of the same port', async () => {
    const bound = new CountingStore();
    const explicit = new CountingStore();
    const gru = await Gru.create({
      stateStore: explicit,
      modules: [infraModule({ stateStore: bound, logger: new InMemoryLogger(), metrics: new InMemoryMetrics() })],
    });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Noted });
      await gru.whenIdle(orchestrationId);
      expect(explicit.saves).toBe(6);
      expect(bound.saves).toBe(0);
      expect(PortsSeen.last?.store).toBe(explicit);
    } finally {
      await gru.shutdown();
    }
  });

  it('null for an explicit port means none, even when a module binds it', async () => {
    const bound = new CountingStore();
    const gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null, modules: [infraModule({ stateStore: bound })] });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Three, minion: Noted });
      await gru.whenIdle(orchestrationId);
      expect(bound.saves).toBe(0);
      expect(PortsSeen.last?.store.constructor.name).toBe('NoOpStateStore');
    } finally {
      await gru.shutdown();
    }
  });

  it('the bound ports are started by Gru.create and shut down by gru.shutdown()', async () => {
    const calls: string[] = [];
    class Tracked extends InMemoryStateStore {
      override async startup() { calls.push('startup'); }
      override async shutdown() { calls.push('shutdown'); }
    }
    const gru = await Gru.create({ logger: new InMemoryLogger(), metrics: null, modules: [infraModule({ stateStore: new Tracked() })] });
    expect(calls).toEqual(['startup']);
    await gru.shutdown();
    expect(calls).toEqual(['startup', 'shutdown']);
  });
});
