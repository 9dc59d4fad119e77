import {
  BufferOverflowError, CheckpointDecodeError, ConfigNotBoundError, InvalidArgumentError, InvalidComponentError, InvalidOptionError,
  Minion, MinionsError, OutsideWorkflowError, decodeCheckpoint, minion, orchestrationId, step,
} from 'minions';
import { FaultInjectingStateStore, runMinion } from 'minions/testing';
import { SubscriberBuffer } from '../../../src/core/fanout/subscriber-buffer';
import { canonicalJson } from '../../../src/core/identity/canonical-json';
import { CliError } from '../../../src/cli/cli-error';

class Ev { n = 0; }
class Ctx { n = 0; }

describe('every error the runtime throws is a MinionsError with a code', () => {
  it('reading this.event, this.context, this.workflow or this.signal outside a step is an OutsideWorkflowError naming it', () => {
    @minion({ event: Ev, context: Ctx })
    class Watcher extends Minion<Ev, Ctx> { @step async s() {} }
    const w = new Watcher();
    for (const property of ['event', 'context', 'workflow', 'signal'] as const) {
      const error = catchError(() => w[property]);
      expect(error).toBeInstanceOf(OutsideWorkflowError);
      expect(error).toMatchObject({ code: 'MINIONS_OUTSIDE_WORKFLOW', property });
      expect((error as Error).message).toContain(`this.${property} is readable only inside a @step`);
    }
  });

  it('reading this.config before startup() is a ConfigNotBoundError naming the class', () => {
    class Cfg { limit = 1; }
    @minion({ event: Ev, context: Ctx, config: Cfg })
    class Configured extends Minion<Ev, Ctx, Cfg> { @step async s() {} }
    const error = catchError(() => new Configured().config);
    expect(error).toBeInstanceOf(ConfigNotBoundError);
    expect((error as Error).message).toMatch(/^Configured\.config is not bound yet/);
  });

  it('a subscriber buffer refuses a bad capacity and, under policy error, overflows with BufferOverflowError', () => {
    expect(catchError(() => new SubscriberBuffer(0))).toBeInstanceOf(InvalidOptionError);
    const buffer = new SubscriberBuffer<number>(1, 'error');
    buffer.push(1);
    const overflow = catchError(() => buffer.push(2));
    expect(overflow).toBeInstanceOf(BufferOverflowError);
    expect(overflow).toMatchObject({ code: 'MINIONS_BUFFER_OVERFLOW', capacity: 1 });
    expect((overflow as Error).message).toMatch(/bufferSize|drop-oldest/);
  });

  it('pure helpers refuse bad arguments with InvalidArgumentError naming the argument', () => {
    expect(catchError(() => orchestrationId({ minionId: 'm', pipelineId: 1 as never, configId: 'c' }))).toMatchObject({
      code: 'MINIONS_INVALID_ARGUMENT', message: expect.stringContaining('pipelineId must be a string'),
    });
    expect(catchError(() => canonicalJson({ a: () => 1 }))).toBeInstanceOf(InvalidArgumentError);
  });

  it('an unreadable checkpoint blob is a CheckpointDecodeError, a MinionsError', () => {
    const error = catchError(() => decodeCheckpoint(Uint8Array.of(0xc1)));
    expect(error).toBeInstanceOf(CheckpointDecodeError);
    expect(MinionsError.is(error, 'MINIONS_CHECKPOINT_DECODE')).toBe(true);
  });

  it('the harness refuses a class that is not a @minion with InvalidComponentError', async () => {
    class Plain extends Minion<Ev, Ctx> {}
    await expect(runMinion({ minion: Plain as never, events: [] })).rejects.toThrow(InvalidComponentError);
    await expect(runMinion({ minion: Plain as never, events: [] })).rejects.toThrow(/Plain is not decorated with @minion/);
  });

  it('an injected store fault is a retryable InjectedFaultError', async () => {
    const store = new FaultInjectingStateStore().failNextSaves(1);
    await store.startup();
    const error = await store.saveContext('w', 'o', Uint8Array.of(1)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InjectedFaultError', code: 'MINIONS_INJECTED_FAULT', retryable: true, message: 'injected save failure' });
  });

  it('a CliError is a MinionsError that keeps its exit code', () => {
    const error = new CliError('no such file', 2);
    expect(MinionsError.is(error, 'MINIONS_CLI')).toBe(true);
    expect(error).toMatchObject({ name: 'CliError', exitCode: 2 });
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
