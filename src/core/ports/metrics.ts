/**
 * Port: metrics. Also the Inversify token.
 * Names and label sets are those of `METRICS` in `metric-names.ts`; label values are strings.
 * The runtime calls these through a guard: a metrics failure never breaks the runtime.
 */
export abstract class Metrics {
  /** Opens the exporter (e.g. the `/metrics` server); called by `Gru.create`, within `startupTimeoutMs`. */
  startup?(): Promise<void>;
  /** Closes the exporter; called at `Gru.shutdown()`, after every component stopped. */
  shutdown?(): Promise<void>;
  /** Adds `value` (default 1) to a counter. */
  abstract inc(name: string, labels: Record<string, string>, value?: number): void;
  /** Sets a gauge. */
  abstract set(name: string, labels: Record<string, string>, value: number): void;
  /** Records one observation, in seconds, in a histogram. */
  abstract observe(name: string, labels: Record<string, string>, seconds: number): void;
}
