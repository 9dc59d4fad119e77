import { Metrics } from '../core/ports/metrics';

/** A {@link Metrics} backend that records nothing: what `metrics: null` means in `Gru.create`. */
export class NoOpMetrics extends Metrics {
  /** Does nothing. */
  inc(_name: string, _labels: Record<string, string>, _value?: number): void {}
  /** Does nothing. */
  set(_name: string, _labels: Record<string, string>, _value: number): void {}
  /** Does nothing. */
  observe(_name: string, _labels: Record<string, string>, _seconds: number): void {}
}
