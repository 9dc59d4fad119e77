/**
 * The metric contract: every metric the runtime emits, its kind and its exact label names. Backends create their instruments from this table.
 * Names follow Prometheus conventions (`promtool check metrics` clean); those
 * that differ from those of the Python original are listed in {@link RENAMED_FROM_REFERENCE}.
 */
export type MetricKind = 'counter' | 'gauge' | 'histogram';

/** One metric's definition. */
export interface MetricDefinition {
  kind: MetricKind;
  labels: readonly string[];
  help: string;
  /** Upper bounds of a histogram's buckets, seconds; default: the backend's own. */
  buckets?: readonly number[];
}

const WF = ['minion', 'orchestration_id'] as const;
const STEP = [...WF, 'minion_workflow_step'] as const;
const RES = ['resource', 'resource_method', 'resource_caller_kind', 'resource_caller', 'orchestration_id'] as const;
const PERSIST = [...WF, 'minion_workflow_persistence_point', 'minion_workflow_persistence_operation',
  'minion_workflow_persistence_policy', 'state_store'] as const;

/** Every metric by name. */
export const METRICS: Readonly<Record<string, MetricDefinition>> = {
  pipeline_event_produced_total: { kind: 'counter', labels: ['pipeline'], help: 'Events produced by a pipeline' },
  pipeline_event_fanout_total: { kind: 'counter', labels: ['pipeline', 'orchestration_id'], help: 'Events handed to a subscribed orchestration' },
  pipeline_error_total: { kind: 'counter', labels: ['pipeline', 'error_type'], help: 'Pipeline producer errors' },
  pipeline_late_subscriber_total: { kind: 'counter', labels: ['pipeline', 'orchestration_id'], help: 'Subscribers that attached after their pipeline had produced events (they missed those events)' },
  pipeline_event_dropped_total: { kind: 'counter', labels: ['pipeline', 'orchestration_id'], help: 'Push-source events dropped on a full subscriber buffer' },
  resource_serves_total: { kind: 'counter', labels: RES, help: 'Tracked resource method calls that succeeded' },
  resource_latency_seconds: { kind: 'histogram', labels: RES, help: 'Latency of successful tracked resource calls, seconds' },
  resource_error_total: { kind: 'counter', labels: [...RES, 'error_type'], help: 'Tracked resource method calls that threw' },
  minion_workflow_started_total: { kind: 'counter', labels: WF, help: 'Workflows started at step 0' },
  minion_workflow_inflight: { kind: 'gauge', labels: WF, help: 'Workflows in flight' },
  minion_workflow_succeeded_total: { kind: 'counter', labels: WF, help: 'Workflows that succeeded' },
  minion_workflow_aborted_total: { kind: 'counter', labels: WF, help: 'Workflows aborted with AbortWorkflow' },
  minion_workflow_failed_total: { kind: 'counter', labels: [...WF, 'error_type'], help: 'Workflows that failed' },
  minion_workflow_duration_seconds: { kind: 'histogram', labels: [...WF, 'status'], help: 'Workflow duration by final status, seconds' },
  minion_workflow_step_started_total: { kind: 'counter', labels: STEP, help: 'Steps started' },
  minion_workflow_step_inflight: { kind: 'gauge', labels: STEP, help: 'Steps running now' },
  minion_workflow_step_succeeded_total: { kind: 'counter', labels: STEP, help: 'Steps that succeeded' },
  minion_workflow_step_aborted_total: { kind: 'counter', labels: STEP, help: 'Steps that threw AbortWorkflow' },
  minion_workflow_step_retries_total: { kind: 'counter', labels: [...STEP, 'error_type'], help: 'Step tries that failed and were tried again (@step({ retry }))' },
  minion_workflow_step_failed_total: { kind: 'counter', labels: [...STEP, 'error_type'], help: 'Steps that failed' },
  minion_workflow_step_duration_seconds: { kind: 'histogram', labels: [...STEP, 'status'], help: 'Step duration by status, seconds' },
  minion_workflow_persistence_attempts_total: { kind: 'counter', labels: PERSIST, help: 'Checkpoint save/delete attempts' },
  minion_workflow_persistence_succeeded_total: { kind: 'counter', labels: PERSIST, help: 'Checkpoint attempts that persisted' },
  minion_workflow_persistence_failures_total: {
    kind: 'counter',
    labels: [...PERSIST, 'minion_workflow_persistence_failure_stage', 'minion_workflow_persistence_retryable'],
    help: 'Checkpoint attempts that failed',
  },
  minion_workflow_persistence_duration_seconds: { kind: 'histogram', labels: PERSIST, help: 'Checkpoint attempt duration, seconds' },
  minion_workflow_persistence_blocked: {
    kind: 'gauge',
    labels: [...WF, 'minion_workflow_persistence_point', 'minion_workflow_persistence_operation',
      'minion_workflow_persistence_failure_stage', 'minion_workflow_persistence_policy', 'state_store'],
    help: 'Workflows waiting for a checkpoint to persist',
  },
  pipeline_disk_full_paused: { kind: 'gauge', labels: [], help: '1 while intake is paused because the disk is full (a checkpoint or step write failed with no space left)' },
  pipeline_memory_paused: { kind: 'gauge', labels: [], help: '1 while pull pipelines are paused by the memory soft limit, else 0' },
  minions_memory_soft_limit_bytes: { kind: 'gauge', labels: [], help: 'Resident memory above which the memory guard pauses pull pipelines and refuses new orchestration starts, bytes' },
  minions_event_loop_delay_seconds: {
    kind: 'histogram', labels: [], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    help: 'Event-loop delay: how late the event loop ran a 10 ms timer, one observation per timer run, seconds',
  },
  process_memory_used_ratio: { kind: 'gauge', labels: [], help: 'Process resident memory over total system memory, 0..1' },
  process_cpu_used_ratio: { kind: 'gauge', labels: [], help: 'Process CPU time over the CPU time of all logical CPUs since the previous sample, 0..1' },
  system_memory_used_ratio: { kind: 'gauge', labels: [], help: 'System memory in use over total system memory, 0..1' },
  system_cpu_used_ratio: { kind: 'gauge', labels: [], help: 'Busy time over total time of all CPUs since the previous sample, 0..1' },
};

/**
 * The Python original's name -> name here, for every metric renamed to Prometheus conventions: no type in
 * the name, ratios (0..1) instead of percents. The label names are unchanged.
 */
export const RENAMED_FROM_REFERENCE: Readonly<Record<string, string>> = {
  minion_workflow_inflight_gauge: 'minion_workflow_inflight',
  minion_workflow_step_inflight_gauge: 'minion_workflow_step_inflight',
  minion_workflow_persistence_blocked_gauge: 'minion_workflow_persistence_blocked',
  process_memory_used_percent: 'process_memory_used_ratio',
  process_cpu_used_percent: 'process_cpu_used_ratio',
  system_memory_used_percent: 'system_memory_used_ratio',
  system_cpu_used_percent: 'system_cpu_used_ratio',
};
