/** The JSON bodies of the admin HTTP API, as the `minions` admin commands read them. */
import type { GruSnapshot, SavedWorkflow, StartResult } from '../../index';

/** `GET /readyz`, and the `ready` part of `GET /status`. */
export interface Readiness {
  ready: boolean;
  /** What keeps the process from being ready; empty when ready. */
  reasons: string[];
}

/** `GET /status`: the Gru's snapshot, its readiness and the process. */
export interface StatusBody extends GruSnapshot {
  ready: Readiness;
  process: { pid: number; uptimeSeconds: number; rssBytes: number; nodeVersion: string };
}

/** `POST /orchestrations/:id/drain|stop`: a `StopResult` with its errors as plain objects. */
export interface StopBody {
  orchestrationId: string;
  stopped: boolean;
  unfinishedWorkflows: number;
  errors: Array<{ type: string; message: string }>;
}

/** `POST /orchestrations/:id/restart`. */
export type StartBody = StartResult;

/** `GET /workflows`. */
export interface WorkflowsBody {
  workflows: SavedWorkflow[];
}

/** An error answer of the admin API (any status ≥ 400). */
export interface ErrorBody {
  error: { code: string; type: string; message: string };
}
