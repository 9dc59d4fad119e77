import { ProcessUsageSampler } from '../../../src/infra/process-usage-sampler';

describe('ProcessUsageSampler', () => {
  it('reads memory shares as percentages of total memory', () => {
    const sample = new ProcessUsageSampler().sample();
    expect(sample.processMemoryPercent).toBeGreaterThan(0);
    expect(sample.processMemoryPercent).toBeLessThanOrEqual(100);
    expect(sample.systemMemoryPercent).toBeGreaterThan(0);
    expect(sample.systemMemoryPercent).toBeLessThanOrEqual(100);
  });

  it('measures CPU used by this process since the previous sample', () => {
    const sampler = new ProcessUsageSampler();
    sampler.sample();
    let x = 0;
    for (let i = 0; i < 2e6; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const sample = sampler.sample();
    expect(sample.processCpuPercent).toBeGreaterThan(0);
    expect(sample.systemCpuPercent).toBeGreaterThanOrEqual(0);
    expect(sample.systemCpuPercent).toBeLessThanOrEqual(100);
  });
});
