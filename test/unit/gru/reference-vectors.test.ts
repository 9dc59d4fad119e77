import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Gru, InMemoryLogger, InMemoryStateStore, Minion, Pipeline, minion, pipeline, step } from 'minions';

class Ev { n = 0; }
class Ctx { done = false; }
class Cfg { label = ''; }

@pipeline({ event: Ev, id: '22222222-2222-4222-8222-222222222222' })
class VectorFeed extends Pipeline<Ev> {
  async *events() { /* none */ }
}

@minion({ event: Ev, context: Ctx, config: Cfg, id: '11111111-1111-4111-8111-111111111111' })
class VectorMinion extends Minion<Ev, Ctx, Cfg> {
  @step async only() { this.context.done = true; }
}

describe('SEMANTICS 2 / REFERENCE I-07: a started orchestration has the reference id for the same identities', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-vectors-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(['cfg.toml', 'cfg.yaml', 'cfg.json'])('decorator ids + _minions_config_id in %s -> 0RrBDZtnoVWyKCTwzdDW7H2WPcmnfnBIDrNODYLItlU8', async (name) => {
    const file = path.join(dir, name);
    const id = '44444444-4444-4444-8444-444444444444';
    fs.writeFileSync(file, name.endsWith('.toml') ? `_minions_config_id = "${id}"\n` : name.endsWith('.yaml') ? `_minions_config_id: ${id}\n` : `{ "_minions_config_id": "${id}" }`);
    const gru = await Gru.create({ stateStore: new InMemoryStateStore(), logger: new InMemoryLogger(), metrics: null });
    try {
      const started = await gru.startOrchestration({ pipeline: VectorFeed, minion: VectorMinion, configPath: file });
      expect(started.orchestrationId).toBe('0RrBDZtnoVWyKCTwzdDW7H2WPcmnfnBIDrNODYLItlU8');
    } finally {
      await gru.shutdown();
    }
  });
});
