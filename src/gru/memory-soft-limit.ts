import { totalmem } from 'node:os';
import type { MemorySoftLimit } from '../core/fanout/memory-guard';
import { readCgroupMemoryLimit, type CgroupMemoryLimit } from '../core/runtime/cgroup-memory-limit';

/** The memory guard's limit as resolved from the options, with what was found on the way. */
export interface ResolvedMemoryLimit {
  limit: MemorySoftLimit;
  /** The cgroup (container) memory limit, or `undefined` when none was found. */
  container: CgroupMemoryLimit | undefined;
  /** True when `memorySoftLimit` (a fraction) had no cgroup limit and was taken of total system memory. */
  ofSystemMemory: boolean;
}

/** Where the machine facts come from; tests point `cgroupRoot` at a temporary folder. */
export interface MemoryFacts {
  /** Directory holding `proc/` and `sys/` (default `/`); see `readCgroupMemoryLimit`. */
  cgroupRoot?: string;
  /** Total system memory, bytes (default `os.totalmem()`). */
  totalMemory?: () => number;
}

const MIB = 1048576;
const mib = (bytes: number): string => `${Math.round(bytes / MIB)} MiB`;

/**
 * Turns the validated `memorySoftLimit` (a fraction) or `memorySoftLimitMiB` into bytes and a
 * source, reading the cgroup limit on the way; `undefined` when neither is set (the guard is off).
 * A fraction with no cgroup limit is taken of total system memory (`ofSystemMemory`).
 */
export function resolveMemoryLimit(o: { memorySoftLimit?: number; memorySoftLimitMiB?: number }, facts: MemoryFacts = {}): ResolvedMemoryLimit | undefined {
  if (o.memorySoftLimit === undefined && o.memorySoftLimitMiB === undefined) return undefined;
  const container = readCgroupMemoryLimit(facts.cgroupRoot);
  if (o.memorySoftLimitMiB !== undefined) {
    return { limit: { bytes: o.memorySoftLimitMiB * MIB, source: 'memorySoftLimitMiB' }, container, ofSystemMemory: false };
  }
  const fraction = o.memorySoftLimit!;
  if (container) {
    return {
      limit: { bytes: Math.floor(container.bytes * fraction), source: `memorySoftLimit ${fraction} of the cgroup ${container.version} limit of ${mib(container.bytes)} in ${container.file}` },
      container, ofSystemMemory: false,
    };
  }
  const total = (facts.totalMemory ?? totalmem)();
  return {
    limit: { bytes: Math.floor(total * fraction), source: `memorySoftLimit ${fraction} of total system memory (${mib(total)}; no cgroup memory limit found)` },
    container, ofSystemMemory: true,
  };
}

/** The container limit for a log line: `1024 MiB (cgroup v2, /sys/fs/cgroup/memory.max)` or `none found`. */
export function describeContainerLimit(container: CgroupMemoryLimit | undefined): string {
  return container ? `${mib(container.bytes)} (cgroup ${container.version}, ${container.file})` : 'none found';
}
