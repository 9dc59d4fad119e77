import { availableParallelism, cpus, freemem, totalmem } from 'node:os';

/** One reading of {@link ProcessUsageSampler}, all ratios from 0 to 1. */
export interface UsageSample {
  /** Resident set size of this process over total system memory. */
  processMemoryRatio: number;
  /**
   * CPU time of this process (user + system) over the CPU time all logical CPUs had since the
   * previous sample (wall time times their count): 1 = every core busy with this process.
   */
  processCpuRatio: number;
  /** System memory in use (total minus available) over total. */
  systemMemoryRatio: number;
  /** Busy time over total time of all CPUs since the previous sample. */
  systemCpuRatio: number;
}

interface CpuTotals {
  busy: number;
  total: number;
}

/**
 * Reads process and system usage from `node:os` and `process` (no native add-on). CPU figures
 * are deltas since the previous `sample()` (or since construction). Internal to `src/infra`;
 * {@link PrometheusMetrics} feeds its four `*_used_ratio` gauges from it every 5 s.
 */
export class ProcessUsageSampler {
  private lastCpu = process.cpuUsage();
  private lastWallMicros = wallMicros();
  private lastSystem = systemCpuTotals();
  private readonly cores = cpus().length || availableParallelism();

  /** Takes one reading and makes it the base of the next one. Never throws for missing CPU data. */
  sample(): UsageSample {
    const total = totalmem();
    const cpu = process.cpuUsage();
    const wall = wallMicros();
    const system = systemCpuTotals();

    const cpuMicros = cpu.user - this.lastCpu.user + (cpu.system - this.lastCpu.system);
    const wallDelta = wall - this.lastWallMicros;
    const busyDelta = system.busy - this.lastSystem.busy;
    const totalDelta = system.total - this.lastSystem.total;
    this.lastCpu = cpu;
    this.lastWallMicros = wall;
    this.lastSystem = system;

    return {
      processMemoryRatio: ratio(process.memoryUsage.rss(), total),
      // The two clocks are read a moment apart: over a very short interval the quotient may pass 1.
      processCpuRatio: Math.min(ratio(cpuMicros, wallDelta * this.cores), 1),
      systemMemoryRatio: ratio(total - freemem(), total),
      systemCpuRatio: ratio(busyDelta, totalDelta),
    };
  }
}

function wallMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

function systemCpuTotals(): CpuTotals {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    const all = times.user + times.nice + times.sys + times.idle + times.irq;
    busy += all - times.idle;
    total += all;
  }
  return { busy, total };
}

function ratio(part: number, whole: number): number {
  return whole > 0 && part > 0 ? part / whole : 0;
}
