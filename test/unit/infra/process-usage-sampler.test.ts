import { totalmem } from 'node:os';
import { ProcessUsageSampler } from '../../../src/infra/process-usage-sampler';

describe('ProcessUsageSampler', () => {
  it('reads memory shares as ratios (0..1) of total memory', () => {
    const sample = new ProcessUsageSampler().sample();
    expect(sample.processMemoryRatio).toBeGreaterThan(0);
    expect(sample.processMemoryRatio).toBeCloseTo(process.memoryUsage.rss() / totalmem(), 2);
    expect(sample.systemMemoryRatio).toBeGreaterThan(0);
    expect(sample.systemMemoryRatio).toBeLessThanOrEqual(1);
  });

  it('measures CPU used by this process since the previous sample, as a share (0..1) of all cores', () => {
    const sampler = new ProcessUsageSampler();
    sampler.sample();
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const sample = sampler.sample();
    expect(sample.processCpuRatio).toBeGreaterThan(0);
    expect(sample.processCpuRatio).toBeLessThanOrEqual(1);
    expect(sample.systemCpuRatio).toBeGreaterThanOrEqual(0);
    expect(sample.systemCpuRatio).toBeLessThanOrEqual(1);
  });
});
