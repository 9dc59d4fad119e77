import type { Gru } from '../gru';
import type { SavedWorkflowState, StartResult, StopResult } from '../gru';
import { HttpError } from './http-errors';
import { statusPageHtml } from './status-page';

/** What a route handler gets: path parameters, the query, and the request body parsed as JSON. */
export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The JSON body; `undefined` for an empty one. @throws HttpError 400 (not JSON), 413 (too large). */
  body(): Promise<unknown>;
}

/** A reply: JSON unless `html` is set. */
export interface RouteReply {
  status: number;
  json?: unknown;
  html?: string;
}

/** One admin route. */
export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  /** Segments; `:name` matches one segment, URL-decoded into `params.name`. */
  path: string;
  /** Whether it needs `Authorization: Bearer <token>`. */
  auth: boolean;
  handle(gru: Gru, req: RouteRequest): Promise<RouteReply>;
}

const ok = (json: unknown, status = 200): RouteReply => ({ status, json });

function stopReply(r: StopResult): RouteReply {
  return ok({ ...r, errors: r.errors.map((e) => ({ type: e.name || e.constructor.name, message: e.message })) });
}

function startReply(r: StartResult, created = 200): RouteReply {
  return ok(r, r.alreadyRunning ? 200 : created);
}

function bodyObject(body: unknown, what: string): Record<string, unknown> {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'BadRequest', `The body of ${what} must be a JSON object.`);
  return body as Record<string, unknown>;
}

function requiredString(body: Record<string, unknown>, field: string, what: string): string {
  const v = body[field];
  if (typeof v !== 'string' || v === '') throw new HttpError(400, 'BadRequest', `${what} needs "${field}": a module path (from the server's working directory), got ${JSON.stringify(v) ?? 'nothing'}.`);
  return v;
}

/** The admin's routes, matched in order. */
export const ROUTES: readonly Route[] = [
  { method: 'GET', path: '/healthz', auth: false, handle: async () => ok({ status: 'ok' }) },
  { method: 'GET', path: '/', auth: false, handle: async () => ({ status: 200, html: statusPageHtml() }) },
  {
    method: 'GET', path: '/readyz', auth: true,
    handle: async (gru) => { const r = gru.readiness(); return ok(r, r.ready ? 200 : 503); },
  },
  {
    method: 'GET', path: '/status', auth: true,
    handle: async (gru) => ok({
      ...gru.snapshot(),
      ready: gru.readiness(),
      process: { pid: process.pid, uptimeSeconds: process.uptime(), rssBytes: process.memoryUsage.rss(), nodeVersion: process.version },
    }),
  },
  {
    method: 'POST', path: '/orchestrations', auth: true,
    handle: async (gru, req) => {
      const what = 'POST /orchestrations';
      const body = bodyObject(await req.body(), what);
      const minion = requiredString(body, 'minion', what);
      const pipeline = requiredString(body, 'pipeline', what);
      const configPath = body.configPath;
      if (configPath !== undefined && (typeof configPath !== 'string' || configPath === '')) {
        throw new HttpError(400, 'BadRequest', `${what}: "configPath" must be a file path, got ${JSON.stringify(configPath)}.`);
      }
      return startReply(await gru.startOrchestration({ minion, pipeline, configPath }), 201);
    },
  },
  { method: 'POST', path: '/orchestrations/:id/drain', auth: true, handle: async (gru, req) => stopReply(await gru.drainOrchestration(req.params.id)) },
  { method: 'POST', path: '/orchestrations/:id/stop', auth: true, handle: async (gru, req) => stopReply(await gru.stopOrchestration(req.params.id)) },
  {
    method: 'POST', path: '/orchestrations/:id/restart', auth: true,
    handle: async (gru, req) => {
      const body = bodyObject(await req.body(), 'POST /orchestrations/:id/restart');
      if (body.reload !== undefined && typeof body.reload !== 'boolean') throw new HttpError(400, 'BadRequest', `"reload" must be true or false, got ${JSON.stringify(body.reload)}.`);
      const q = req.query.get('reload');
      const reload = body.reload === true || q === '1' || q === 'true';
      return startReply(await gru.restartOrchestration(req.params.id, { reload }));
    },
  },
  {
    method: 'POST', path: '/resources/:id/restart', auth: true,
    handle: async (gru, req) => { await gru.restartResource(req.params.id); return ok({ restarted: req.params.id }); },
  },
  {
    method: 'GET', path: '/workflows', auth: true,
    handle: async (gru, req) => {
      const state = req.query.get('state') || undefined;
      const orchestrationId = req.query.get('orchestration') || undefined;
      return ok({ workflows: await gru.listWorkflows({ state: state as SavedWorkflowState | undefined, orchestrationId }) });
    },
  },
  {
    method: 'POST', path: '/workflows/:id/retry', auth: true,
    handle: async (gru, req) => { await gru.retryWorkflow(req.params.id); return ok({ workflowId: req.params.id, retried: true }); },
  },
  {
    method: 'DELETE', path: '/workflows/:id', auth: true,
    handle: async (gru, req) => {
      const workflowId = req.params.id;
      try {
        await gru.deleteWorkflow(workflowId);
      } catch (e) {
        // Refused because it runs now: a conflict with the current state, not bad input.
        const running = (await gru.listWorkflows({ state: 'running' }).catch(() => [])).some((w) => w.workflowId === workflowId);
        if (!running || !(e instanceof Error)) throw e;
        throw new HttpError(409, e.name, e.message, {}, (e as { code?: string }).code);
      }
      return ok({ workflowId, deleted: true });
    },
  },
];

/** A route matched to a path, or the methods the path allows (empty: no route has that path). */
export type RouteMatch = { route: Route; params: Record<string, string> } | { route: undefined; allow: string[] };

/**
 * Finds the route of `method` and `path`.
 * @throws HttpError 400 for a path segment that is not valid percent-encoding.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  const segments = path.split('/').slice(1);
  const allow: string[] = [];
  for (const route of ROUTES) {
    const params = matchPath(route.path, segments);
    if (!params) continue;
    if (route.method === method) return { route, params };
    allow.push(route.method);
  }
  return { route: undefined, allow };
}

function matchPath(pattern: string, segments: string[]): Record<string, string> | undefined {
  const parts = pattern.split('/').slice(1);
  if (parts.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(':')) {
      if (segments[i] === '') return undefined;
      try {
        params[parts[i].slice(1)] = decodeURIComponent(segments[i]);
      } catch {
        throw new HttpError(400, 'BadRequest', `Path segment ${JSON.stringify(segments[i])} is not valid percent-encoding.`);
      }
    } else if (parts[i] !== segments[i]) {
      return undefined;
    }
  }
  return params;
}
