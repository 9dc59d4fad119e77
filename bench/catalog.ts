/** The scenarios `npm run bench` knows, in the order it runs them (docs/performance.md describes them). */
export interface ScenarioInfo {
  id: string;
  title: string;
  /** Default N of the scenario: workflows, events for S3, cycles for S5, flights for S7, events for the floors. */
  defaultN: number;
}

/** Names that select several scenarios: `S6` runs its three process counts beside the S2 of the same run. */
export const GROUPS: Readonly<Record<string, readonly string[]>> = { S6: ['S2', 'S6-1', 'S6-2', 'S6-3'] };

export const CATALOG: readonly ScenarioInfo[] = [
  { id: 'F1', title: 'floor: RxJS Subject -> async fn awaiting two no-op calls', defaultN: 20_000 },
  { id: 'F2', title: 'floor: better-sqlite3, the row writes of S2, in batches', defaultN: 20_000 },
  { id: 'S1', title: 'no-persist: 1 pipeline -> 1 minion, 2 steps', defaultN: 20_000 },
  { id: 'S1-prom', title: 'S1 with the default PrometheusMetrics', defaultN: 20_000 },
  { id: 'S2', title: 'default SQLite store, checkpoint before each step', defaultN: 20_000 },
  { id: 'S2-winston', title: 'S2 with the default WinstonLogger', defaultN: 20_000 },
  { id: 'S2-200k', title: 'S2 at N = 200,000 (flat RSS)', defaultN: 200_000 },
  { id: 'S3', title: 'fan-out: 1 pipeline -> 10 orchestrations (N events)', defaultN: 5_000 },
  { id: 'S4', title: 'resume N saved workflows from SQLite', defaultN: 10_000 },
  { id: 'S5', title: 'lifecycle: N start/stop cycles, minion -> resource -> resource', defaultN: 200 },
  { id: 'S6-1', title: 'S2 through NATS JetStream and PostgreSQL, 1 worker process', defaultN: 20_000 },
  { id: 'S6-2', title: 'S6 with 2 worker processes', defaultN: 20_000 },
  { id: 'S6-3', title: 'S6 with 3 worker processes', defaultN: 20_000 },
  { id: 'S7', title: 'the flight-delays sample: N real flights, 3 steps, 2 resources, logger + metrics', defaultN: 20_000 },
  { id: 'S8', title: 'N awaited calls to a no-op resource method, in process', defaultN: 20_000 },
  { id: 'S8-worker', title: 'S8 with the resource in a worker thread', defaultN: 20_000 },
  { id: 'S8-process', title: 'S8 with the resource in a child process', defaultN: 20_000 },
];

export function infoById(id: string): ScenarioInfo | undefined {
  return CATALOG.find((s) => s.id.toLowerCase() === id.toLowerCase());
}

/** Prefix of the one stdout line that carries a run's result from the child to the parent. */
export const RESULT_PREFIX = '@@minions-bench ';

/** Prefix of the stdout line where an S6 worker process reports its figures to its scenario. */
export const S6_WORKER_PREFIX = '@@minions-bench-s6-worker ';
