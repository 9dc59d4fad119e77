import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Gru, InMemoryLogger, InMemoryMetrics, InMemoryStateStore, InvalidOptionError, PrometheusMetrics, SqliteStateStore, type GruOptions,
} from 'minions';
import { gate } from './fixtures/gated';
import { request } from './http-client';

const FIXTURE = 'test/integration/admin/fixtures/gated';

describe('the admin API', () => {
  let dir: string;
  let gru: Gru | undefined;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'minions-admin-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(async () => {
    gate.release();
    await gru?.shutdown();
    gru = undefined;
    gate.reset();
  });

  const create = async (options: GruOptions = {}): Promise<Gru> => {
    gru = await Gru.create({
      stateStore: new InMemoryStateStore(), logger: new InMemoryLogger(), metrics: new PrometheusMetrics({ port: 0, defaultMetrics: false }),
      stopGraceMs: 0, cancelTimeoutMs: 200, drainTimeoutMs: 0, ...options,
    });
    return gru;
  };
  const tokenFile = (name: string): string => join(dir, name);
  let logger: InMemoryLogger;
  const readLogs = (): string[] => logger.entries.map((r) => JSON.stringify(r));

  it('GET /healthz answers without a token; other routes want the token (401 with WWW-Authenticate)', async () => {
    const g = await create({ admin: { tokenFile: tokenFile('health.token') } });
    const base = g.adminUrl!;
    const health = await request(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toMatch(/^application\/json/);
    expect(health.json).toEqual({ status: 'ok' });

    const none = await request(`${base}/status`);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.json.error).toMatchObject({ type: 'Unauthorized' });

    const wrong = await request(`${base}/status`, { token: 'not-the-token' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer');

    const page = await request(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
  });

  it('writes a fresh token to the token file with mode 0600, replacing an older file, and that token works', async () => {
    const file = tokenFile('fresh.token');
    writeFileSync(file, 'old-token', { mode: 0o644 });
    logger = new InMemoryLogger();
    const g = await create({ logger, admin: { tokenFile: file } });
    const token = readFileSync(file, 'utf8').trim();
    expect(token).not.toBe('old-token');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    const status = await request(`${g.adminUrl}/status`, { token });
    expect(status.status).toBe(200);
    const logs = readLogs().filter((l) => /admin/i.test(l));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toContain(g.adminUrl);
    expect(logs.some((l) => l.includes(file))).toBe(true);
    expect(logs.some((l) => l.includes(token))).toBe(false);
  });

  it('puts the token file in the directory of the SQLite store by default, and accepts a given token', async () => {
    const store = new SqliteStateStore({ path: join(dir, 'state', 'minions.db') });
    logger = new InMemoryLogger();
    const g = await create({ stateStore: store, logger });
    const token = readFileSync(join(dir, 'state', 'admin.token'), 'utf8').trim();
    expect((await request(`${g.adminUrl}/readyz`, { token })).json).toEqual({ ready: true, reasons: [] });
    await g.shutdown();

    gru = await create({ admin: { token: 'a-token-of-my-own', tokenFile: tokenFile('unused.token') }, stateStore: new InMemoryStateStore() });
    expect((await request(`${gru.adminUrl}/readyz`, { token: 'a-token-of-my-own' })).status).toBe(200);
  });

  it('shares the metrics port by default: GET /metrics and GET /status on one port', async () => {
    const metrics = new PrometheusMetrics({ port: 0, defaultMetrics: false });
    const g = await create({ metrics, admin: { tokenFile: tokenFile('shared.token') } });
    expect(g.adminUrl).toBe(`http://127.0.0.1:${metrics.port}`);
    const token = readFileSync(tokenFile('shared.token'), 'utf8').trim();
    const scrape = await request(`${metrics.url}`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers['content-type']).toMatch(/^text\/plain/);
    const status = await request(`${g.adminUrl}/status`, { token });
    expect(status.status).toBe(200);
    expect(status.json).toMatchObject({ orchestrations: [], pipelines: [], resources: [], ready: { ready: true, reasons: [] } });
    expect(status.json.process).toMatchObject({ pid: process.pid, nodeVersion: process.version });
    expect(typeof status.json.process.uptimeSeconds).toBe('number');
    expect(status.json.process.rssBytes).toBeGreaterThan(0);
    expect((await request(`${g.adminUrl}/nowhere`, { token })).status).toBe(404);
    await g.shutdown();
    // the admin's handler is gone with the Gru, and the metrics server with it
    expect(metrics.port).toBeUndefined();
  });

  it('serves on its own port with admin.port (0: a free one), beside the metrics server', async () => {
    const metrics = new PrometheusMetrics({ port: 0, defaultMetrics: false });
    const g = await create({ metrics, admin: { port: 0, tokenFile: tokenFile('own.token') } });
    const base = g.adminUrl!;
    const url = new URL(base);
    expect(url.hostname).toBe('127.0.0.1');
    expect(Number(url.port)).not.toBe(metrics.port);
    const token = readFileSync(tokenFile('own.token'), 'utf8').trim();
    expect((await request(`${g.adminUrl}/status`, { token })).status).toBe(200);
    expect((await request(`http://127.0.0.1:${metrics.port}/status`, { token })).status).toBe(404);
    await g.shutdown();
    expect(g.adminUrl).toBeUndefined();
    await expect(request(`${base}/healthz`)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('serves on its own port even without a metrics server', async () => {
    const g = await create({ metrics: null, admin: { port: 0, tokenFile: tokenFile('no-metrics.token') } });
    expect((await request(`${g.adminUrl}/healthz`)).status).toBe(200);
  });

  it('is off with admin: false, and off (with one info line) when there is no server to share', async () => {
    const metrics = new PrometheusMetrics({ port: 0, defaultMetrics: false });
    const g = await create({ metrics, admin: false });
    expect(g.adminUrl).toBeUndefined();
    expect((await request(`http://127.0.0.1:${metrics.port}/healthz`)).status).toBe(404);
    await g.shutdown();

    logger = new InMemoryLogger();
    gru = await create({ metrics: new InMemoryMetrics(), logger, admin: { tokenFile: tokenFile('off.token') } });
    expect(gru.adminUrl).toBeUndefined();
    const lines = logger.entries.filter((r) => /admin/i.test(r.message));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info' });
    expect(lines[0].message).toMatch(/admin\.port/);
  });

  it('refuses a non-loopback bind unless admin.host is set explicitly', async () => {
    const wide = new PrometheusMetrics({ port: 0, host: '0.0.0.0', defaultMetrics: false });
    await expect(create({ metrics: wide, admin: { tokenFile: tokenFile('wide.token') } })).rejects.toThrow(InvalidOptionError);
    expect(wide.port).toBeUndefined(); // what started was shut down
    gru = undefined;

    const g = await create({ metrics: new PrometheusMetrics({ port: 0, host: '0.0.0.0', defaultMetrics: false }), admin: { host: '0.0.0.0', tokenFile: tokenFile('wide.token') } });
    expect(g.adminUrl).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    await g.shutdown();

    gru = await create({ admin: { port: 0, host: '0.0.0.0', tokenFile: tokenFile('wide-own.token') } });
    const port = new URL(gru.adminUrl!).port;
    expect((await request(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });

  it('refuses bad admin options by name', async () => {
    await expect(create({ admin: { port: 70000 } })).rejects.toThrow(/GruOptions\.admin\.port/);
    gru = undefined;
    await expect(create({ admin: { token: '' } })).rejects.toThrow(/GruOptions\.admin\.token/);
    gru = undefined;
  });

  it('starts, shows, drains, stops and restarts orchestrations, and lists and acts on saved workflows', async () => {
    const g = await create({ admin: { tokenFile: tokenFile('ops.token') } });
    const token = readFileSync(tokenFile('ops.token'), 'utf8').trim();
    const api = (path: string, init: { method?: string; body?: unknown; rawBody?: string } = {}) => request(`${g.adminUrl}${path}`, { token, ...init });

    const started = await api('/orchestrations', { method: 'POST', body: { minion: FIXTURE, pipeline: FIXTURE } });
    expect(started.status).toBe(201);
    expect(started.json).toMatchObject({ alreadyRunning: false, resumedWorkflows: 0 });
    const id: string = started.json.orchestrationId;
    const again = await api('/orchestrations', { method: 'POST', body: { minion: FIXTURE, pipeline: FIXTURE } });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ orchestrationId: id, alreadyRunning: true, resumedWorkflows: 0 });

    await gate.whenWaiting(2);
    const status = await api('/status');
    expect(status.json.orchestrations).toEqual([expect.objectContaining({ orchestrationId: id, state: 'running', inflightWorkflows: 2 })]);
    expect(status.json.resources).toEqual([expect.objectContaining({ className: 'GatedLookup' })]);

    const all = await api('/workflows');
    expect(all.status).toBe(200);
    expect(all.json.workflows).toHaveLength(2);
    expect(all.json.workflows[0]).toMatchObject({ orchestrationId: id, state: 'running', nextStepName: 'wait' });
    expect((await api(`/workflows?state=pending&orchestration=${id}`)).json).toEqual({ workflows: [] });
    expect((await api('/workflows?orchestration=nope')).json).toEqual({ workflows: [] });
    const badState = await api('/workflows?state=sleeping');
    expect(badState.status).toBe(400);
    expect(badState.json.error).toMatchObject({ code: 'MINIONS_INVALID_ARGUMENT', type: 'InvalidArgumentError' });

    const running = all.json.workflows[0].workflowId;
    const busy = await api(`/workflows/${running}`, { method: 'DELETE' });
    expect(busy.status).toBe(409);
    const retry = await api(`/workflows/${running}/retry`, { method: 'POST' });
    expect(retry.status).toBe(400);
    expect(retry.json.error.code).toBe('MINIONS_INVALID_ARGUMENT');
    const unknown = await api('/workflows/no-such-workflow', { method: 'DELETE' });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error).toMatchObject({ code: 'MINIONS_WORKFLOW_NOT_FOUND', type: 'WorkflowNotFoundError' });

    // drain (deadline 0): the waiting workflows are interrupted and keep their checkpoints
    const drained = await api(`/orchestrations/${id}/drain`, { method: 'POST' });
    expect(drained.status).toBe(200);
    expect(drained.json).toMatchObject({ orchestrationId: id, stopped: true, errors: [] });
    const pending = await api(`/workflows?state=pending`);
    expect(pending.json.workflows).toHaveLength(2);
    expect((await api('/readyz')).json).toEqual({ ready: true, reasons: [] });

    // a pending workflow can be deleted
    const deleted = await api(`/workflows/${encodeURIComponent(running)}`, { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ workflowId: running, deleted: true });

    const restartGone = await api(`/orchestrations/${id}/restart`, { method: 'POST' });
    expect(restartGone.status).toBe(404);
    expect(restartGone.json.error.code).toBe('MINIONS_ORCHESTRATION_NOT_FOUND');

    gate.release();
    const back = await api('/orchestrations', { method: 'POST', body: { minion: FIXTURE, pipeline: FIXTURE } });
    expect(back.status).toBe(201);
    expect(back.json).toMatchObject({ orchestrationId: id, resumedWorkflows: 1 });
    await g.whenIdle(id);

    const restarted = await api(`/orchestrations/${id}/restart`, { method: 'POST', body: { reload: false } });
    expect(restarted.status).toBe(200);
    expect(restarted.json).toMatchObject({ orchestrationId: id, alreadyRunning: false });
    // ?reload=1 reaches Gru.restartOrchestration: under jest's module registry a module cannot be
    // loaded again, which it refuses (the orchestration keeps running)
    const reloaded = await api(`/orchestrations/${id}/restart?reload=1`, { method: 'POST' });
    expect(reloaded.status).toBe(400);
    expect(reloaded.json.error).toMatchObject({ code: 'MINIONS_INVALID_COMPONENT', message: expect.stringMatching(/load/) });
    expect((await api('/status')).json.orchestrations).toEqual([expect.objectContaining({ orchestrationId: id, state: 'running' })]);

    const resource = await api('/resources/GatedLookup/restart', { method: 'POST' });
    expect(resource.status).toBe(200);
    expect(resource.json).toEqual({ restarted: 'GatedLookup' });
    expect((await api('/resources/NoSuchResource/restart', { method: 'POST' })).json.error.code).toBe('MINIONS_RESOURCE_NOT_FOUND');

    const stopped = await api(`/orchestrations/${id}/stop`, { method: 'POST' });
    expect(stopped.status).toBe(200);
    expect(stopped.json).toMatchObject({ orchestrationId: id, stopped: true, errors: [] });
    expect((await api('/status')).json.orchestrations).toEqual([]);
    const stopGone = await api(`/orchestrations/${id}/stop`, { method: 'POST' });
    expect(stopGone.status).toBe(404);
  });

  it('answers bad requests with 400, a wrong method with 405 and Allow, an oversized body with 413', async () => {
    const g = await create({ admin: { tokenFile: tokenFile('bad.token') } });
    const token = readFileSync(tokenFile('bad.token'), 'utf8').trim();
    const api = (path: string, init: { method?: string; body?: unknown; rawBody?: string } = {}) => request(`${g.adminUrl}${path}`, { token, ...init });

    const notJson = await api('/orchestrations', { method: 'POST', rawBody: '{"minion":' });
    expect(notJson.status).toBe(400);
    expect(notJson.json.error).toMatchObject({ type: 'BadRequest' });
    expect((await api('/orchestrations', { method: 'POST', body: { minion: FIXTURE } })).status).toBe(400);
    expect((await api('/orchestrations', { method: 'POST', body: [] })).status).toBe(400);
    const badModule = await api('/orchestrations', { method: 'POST', body: { minion: 'test/integration/admin/fixtures/no-such-module', pipeline: FIXTURE } });
    expect(badModule.status).toBe(400);
    expect(badModule.json.error.code).toBe('MINIONS_INVALID_COMPONENT');

    const wrongMethod = await api('/orchestrations');
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    expect((await api('/workflows/abc', { method: 'GET' })).headers.allow).toBe('DELETE');
    expect((await api('/status', { method: 'POST' })).status).toBe(405);

    const big = await api('/orchestrations', { method: 'POST', rawBody: JSON.stringify({ minion: 'x'.repeat(1_100_000), pipeline: 'y' }) });
    expect(big.status).toBe(413);

    await g.shutdown();
    gru = undefined;
  });
});
