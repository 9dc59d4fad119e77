import 'reflect-metadata';
import { Gru, InMemoryLogger, Minion, Pipeline, minion, pipeline, step } from 'minions';

class Ev { n = 0; }
class Ctx { n = 0; }
const WORKFLOWS = 25;

@pipeline({ event: Ev })
class Burst extends Pipeline<Ev> {
  async *events() { for (let n = 1; n <= WORKFLOWS; n++) yield Object.assign(new Ev(), { n }); }
}

const signals: AbortSignal[] = [];
let waiting = 0;

@minion({ event: Ev, context: Ctx })
class PassesSignal extends Minion<Ev, Ctx> {
  /** Waits on this.signal as documented for user I/O ("pass it to your I/O"). */
  @step async wait() {
    const signal = this.signal;
    signals.push(signal);
    waiting++;
    await new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
  }
}

describe('SEMANTICS 10: each workflow has its own AbortSignal', () => {
  it('many workflows each listen on their own this.signal: no MaxListenersExceededWarning, and a stop aborts every one', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    const gru = await Gru.create({ stateStore: null, logger: new InMemoryLogger(), metrics: null, stopGraceMs: 0 });
    try {
      const { orchestrationId } = await gru.startOrchestration({ pipeline: Burst, minion: PassesSignal });
      while (waiting < WORKFLOWS) await new Promise((r) => setImmediate(r));
      expect(new Set(signals).size).toBe(WORKFLOWS);
      expect(signals.some((s) => s.aborted)).toBe(false);
      const stopped = await gru.stopOrchestration(orchestrationId);
      expect(stopped.unfinishedWorkflows).toBe(WORKFLOWS);
      expect(signals.every((s) => s.aborted)).toBe(true);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on a later tick
      expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning')).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      await gru.shutdown();
    }
  });
});
