/**
 * Adapters of the infrastructure ports: state stores, loggers and
 * metrics backends. Helpers used only inside this folder are not exported.
 */
export { SqliteStateStore, type SqliteStateStoreOptions, type SqliteStateStoreStats } from './sqlite-state-store';
export { InMemoryStateStore } from './in-memory-state-store';
export { NoOpStateStore } from './no-op-state-store';
export { PostgresStateStore, type PostgresStateStoreOptions, type PostgresStateStoreStats } from './postgres';
export { WinstonLogger, type WinstonLoggerOptions } from './winston-logger';
export { InMemoryLogger, type InMemoryLoggerOptions, type LogEntry } from './in-memory-logger';
export { NoOpLogger } from './no-op-logger';
export { PrometheusMetrics, type PrometheusMetricsOptions, type MetricsServerHandler } from './prometheus-metrics';
export {
  InMemoryMetrics, type HistogramSummary, type InMemoryMetricsOptions, type MetricsSnapshot,
} from './in-memory-metrics';
export { NoOpMetrics } from './no-op-metrics';
export { JetStreamPipeline, type JetStreamPipelineOptions, publishToJetStream, type PublishToJetStreamOptions } from './nats';
