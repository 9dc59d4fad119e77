import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gru, InMemoryLogger, InvalidOptionError } from 'minions';
import { resolveRuntimeOptions } from '../../../src/gru/gru-options';
import { describeContainerLimit, resolveMemoryLimit } from '../../../src/gru/memory-soft-limit';

const MIB = 1048576;

describe('the memory soft limit from the options and the container limit', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'soft-limit-'));
    mkdirSync(join(root, 'proc/self'), { recursive: true });
    mkdirSync(join(root, 'sys/fs/cgroup'), { recursive: true });
    writeFileSync(join(root, 'proc/self/cgroup'), '0::/\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('memorySoftLimit is a fraction of the cgroup limit, and says where it came from', () => {
    writeFileSync(join(root, 'sys/fs/cgroup/memory.max'), `${1024 * MIB}\n`);
    const resolved = resolveMemoryLimit({ memorySoftLimit: 0.75 }, { cgroupRoot: root, totalMemory: () => 64 * 1024 * MIB })!;
    expect(resolved.limit.bytes).toBe(768 * MIB);
    expect(resolved.limit.source).toBe(`memorySoftLimit 0.75 of the cgroup v2 limit of 1024 MiB in ${join(root, 'sys/fs/cgroup/memory.max')}`);
    expect(resolved.ofSystemMemory).toBe(false);
    expect(describeContainerLimit(resolved.container)).toBe(`1024 MiB (cgroup v2, ${join(root, 'sys/fs/cgroup/memory.max')})`);
  });

  it('with no cgroup limit a fraction is taken of total system memory, flagged for the warn line', () => {
    writeFileSync(join(root, 'sys/fs/cgroup/memory.max'), 'max\n');
    const resolved = resolveMemoryLimit({ memorySoftLimit: 0.5 }, { cgroupRoot: root, totalMemory: () => 8192 * MIB })!;
    expect(resolved.limit.bytes).toBe(4096 * MIB);
    expect(resolved.limit.source).toMatch(/of total system memory \(8192 MiB; no cgroup memory limit found\)/);
    expect(resolved.ofSystemMemory).toBe(true);
    expect(describeContainerLimit(resolved.container)).toBe('none found');
  });

  it('memorySoftLimitMiB is absolute whatever the container limit; neither option: no guard', () => {
    writeFileSync(join(root, 'sys/fs/cgroup/memory.max'), `${1024 * MIB}\n`);
    const resolved = resolveMemoryLimit({ memorySoftLimitMiB: 300 }, { cgroupRoot: root })!;
    expect(resolved.limit).toEqual({ bytes: 300 * MIB, source: 'memorySoftLimitMiB' });
    expect(resolved.container?.bytes).toBe(1024 * MIB);
    expect(resolveMemoryLimit({}, { cgroupRoot: root })).toBeUndefined();
  });
});

describe('memory guard options', () => {
  const base = { stateStore: null, metrics: null, logger: new InMemoryLogger(), admin: false } as const;

  it('memorySoftLimit and memorySoftLimitMiB together are an InvalidOptionError', async () => {
    const error = await Gru.create({ ...base, memorySoftLimit: 0.8, memorySoftLimitMiB: 512 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ option: 'GruOptions.memorySoftLimit', value: 0.8 });
    expect((error as Error).message).toMatch(/memorySoftLimit must be left out when memorySoftLimitMiB is set/);
  });

  it.each([0, -0.5, 1.5, Number.NaN, '0.8'])('memorySoftLimit %p is refused: a fraction in (0, 1]', async (value) => {
    const error = await Gru.create({ ...base, memorySoftLimit: value as number }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'MINIONS_INVALID_OPTION', option: 'GruOptions.memorySoftLimit' });
    expect((error as Error).message).toMatch(/must be a fraction in \(0, 1\]/);
  });

  it('memoryResumeRatio: default 0.9, 1 accepted, outside (0, 1] refused; memorySoftLimitMiB must be positive', async () => {
    expect(resolveRuntimeOptions({}).memoryResumeRatio).toBe(0.9);
    expect(resolveRuntimeOptions({ memoryResumeRatio: 1 }).memoryResumeRatio).toBe(1);
    expect(resolveRuntimeOptions({ memorySoftLimit: 1 }).memorySoftLimit).toBe(1);
    expect(() => resolveRuntimeOptions({ memoryResumeRatio: 0 })).toThrow(/GruOptions\.memoryResumeRatio must be a fraction in \(0, 1\], got 0/);
    expect(() => resolveRuntimeOptions({ memoryResumeRatio: 1.1 })).toThrow(InvalidOptionError);
    expect(() => resolveRuntimeOptions({ memorySoftLimitMiB: 0 })).toThrow(/GruOptions\.memorySoftLimitMiB must be a positive number/);
  });

  it('Gru.create with a fraction logs one info line with the container limit it found (or none) and the soft limit', async () => {
    const logger = new InMemoryLogger();
    const gru = await Gru.create({ ...base, logger, memorySoftLimit: 1 });
    try {
      const lines = logger.findAll('Memory guard on');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 'info' });
      const fields = JSON.stringify(lines[0]);
      expect(fields).toMatch(/container_memory_limit/);
      expect(fields).toMatch(/soft_limit_mib/);
      expect(fields).toMatch(/resume_below_mib/);
    } finally {
      await gru.shutdown();
    }
  });
});
