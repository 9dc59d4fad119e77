import { cpus, freemem, totalmem } from 'node:os';

/** One reading of {@link ProcessUsageSampler}, all in percent. */
export interface UsageSample {
  /** Resident set size of this process over total system memory. */
  processMemoryPercent: number;
  /** CPU time of this process (user + system) over wall time since the previous sample; 100 = one core busy. */
  processCpuPercent: number;
  /** System memory in use (total minus available) over total. */
  systemMemoryPercent: number;
  /** Busy time over total time of all CPUs since the previous sample. */
  systemCpuPercent: number;
}

interface CpuTotals {
  busy: number;
  total: number;
}

/**
 * Reads process and system usage from `node:os` and `process` (no native add-on). CPU figures
 * are deltas since the previous `sample()` (or since construction). Internal to `src/infra`;
 * {@link PrometheusMetrics} feeds its four `*_used_percent` gauges from it every 5 s.
 */
export class ProcessUsageSampler {
  private lastCpu = process.cpuUsage();
  private lastWallMicros = wallMicros();
  private lastSystem = systemCpuTotals();

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
      processMemoryPercent: percent(process.memoryUsage.rss(), total),
      processCpuPercent: percent(cpuMicros, wallDelta),
      systemMemoryPercent: percent(total - freemem(), total),
      systemCpuPercent: percent(busyDelta, totalDelta),
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

function percent(part: number, whole: number): number {
  return whole > 0 && part > 0 ? (part / whole) * 100 : 0;
}
