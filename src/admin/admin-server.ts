import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { InvalidOptionError } from '../core/errors';
import { errorFields } from '../core/runtime/safe-logger';
import type { Gru, GruAttachment, GruAttachmentContext } from '../gru';
import { PrometheusMetrics } from '../infra';
import { baseUrl, checkAdminOptions, isLoopbackHost } from './admin-options';
import { bearerMatches, generateAdminToken, writeAdminTokenFile } from './admin-token';
import { errorBody, httpStatusOf, HttpError } from './http-errors';
import { matchRoute } from './routes';

/** Largest request body the admin reads, bytes (1 MiB); a larger one gets 413. */
export const ADMIN_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The admin API of one Gru, started by `Gru.create` (see `GruOptions.admin`): JSON routes over
 * `node:http`, either mounted on the metrics server (`PrometheusMetrics.use`) or on a server of
 * its own (`admin.port`), which never keeps the process alive by itself. It uses only the Gru's
 * public methods. Closed by `Gru.shutdown` after the orchestrations stop.
 */
export class AdminServer implements GruAttachment {
  readonly name = 'admin';

  private constructor(
    /** Base URL, `http://<host>:<port>` (no trailing slash). */
    readonly url: string,
    /** The file holding the token; `undefined` for a token given in `admin.token` without `tokenFile`. */
    readonly tokenFile: string | undefined,
    private readonly stop: () => Promise<void>,
  ) {}

  /**
   * Starts the admin for a Gru, or returns `undefined` when it is off: `admin: false`; no server
   * to share and no `admin.port` (one info line says so); its own server cannot listen, or the
   * token file cannot be written (one error line says so).
   * @throws InvalidOptionError for a bad `admin` field, or a non-loopback host not set in `admin.host`.
   */
  static async start(context: GruAttachmentContext): Promise<AdminServer | undefined> {
    const options = checkAdminOptions(context.options.admin);
    if (options === null) return undefined;
    const { gru, metrics, log } = context;
    const token = options.token ?? generateAdminToken();
    const tokenFile = options.token === undefined || options.tokenFile !== undefined
      ? resolve(context.stateDir, options.tokenFile ?? 'admin.token') : undefined;
    const handler = (req: IncomingMessage, res: ServerResponse): Promise<boolean> => serve(gru, token, req, res, context.log);

    let url: string;
    let stop: () => Promise<void>;
    if (options.port !== undefined) {
      const host = options.host ?? '127.0.0.1';
      const server = await listen(options.port, host, handler).catch((e: Error) => {
        log.log('error', `Admin API off: could not listen on ${host}:${options.port} (${e.message}); set another GruOptions.admin.port (0: a free one)`, errorFields(e));
        return undefined;
      });
      if (!server) return undefined;
      url = baseUrl(host, (server.address() as AddressInfo).port);
      stop = () => new Promise<void>((done) => { server.close(() => done()); server.closeAllConnections(); });
    } else if (metrics instanceof PrometheusMetrics && metrics.port !== undefined) {
      if (options.host !== undefined && options.host !== metrics.host) {
        throw new InvalidOptionError('GruOptions.admin.host', options.host,
          `the metrics server's host (${metrics.host}) when the admin shares its server, or set GruOptions.admin.port for a server of the admin's own`);
      }
      if (options.host === undefined && !isLoopbackHost(metrics.host)) {
        throw new InvalidOptionError('GruOptions.admin.host', undefined,
          `set to ${JSON.stringify(metrics.host)} to serve the admin API beside /metrics on that non-loopback interface (anyone who reaches it with the token can ` +
          'stop orchestrations and delete workflows), or give it admin.port for a loopback server of its own, or set admin: false');
      }
      url = baseUrl(metrics.host, metrics.port);
      const unmount = metrics.use(handler);
      stop = async () => unmount();
    } else {
      log.log('info', 'Admin API off: there is no metrics server to share (metrics is null, not PrometheusMetrics, or its server did not listen); ' +
        'set GruOptions.admin.port to serve it on a port of its own, or admin: false to say it is meant to be off');
      return undefined;
    }

    if (tokenFile !== undefined) {
      try {
        await writeAdminTokenFile(tokenFile, token);
      } catch (e) {
        await stop();
        log.log('error', `Admin API off: could not write its token file ${tokenFile}; set GruOptions.admin.tokenFile to a writable path`, errorFields(e));
        return undefined;
      }
    }
    log.log('info', `Admin API at ${url}, token in ${tokenFile ?? 'GruOptions.admin.token'}`, { url, token_file: tokenFile });
    return new AdminServer(url, tokenFile, stop);
  }

  /** Stops serving (unmounts from the metrics server, or closes its own server and connections). Never rejects. */
  async close(): Promise<void> {
    await this.stop().catch(() => undefined);
  }
}

function listen(port: number, host: string, handler: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>): Promise<Server> {
  const server = createServer((req, res) => {
    void handler(req, res).then((taken) => {
      if (!taken) reply(res, 404, errorBody(new HttpError(404, 'NotFound', `No admin route ${req.method} ${pathOf(req)}.`)));
    });
  });
  return new Promise<Server>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      server.on('error', () => undefined);
      server.unref();
      done(server);
    });
  });
}

const pathOf = (req: IncomingMessage): string => (req.url ?? '/').split('?')[0];

/** Answers one request if it is for a route of the admin; `false` (nothing sent) when no route has its path. */
async function serve(gru: Gru, token: string, req: IncomingMessage, res: ServerResponse, log: GruAttachmentContext['log']): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://admin');
  try {
    const match = matchRoute(req.method ?? 'GET', url.pathname);
    if (!match.route) {
      if (match.allow.length === 0) return false;
      throw new HttpError(405, 'MethodNotAllowed', `${req.method} is not allowed on ${url.pathname}; use ${match.allow.join(' or ')}.`, { Allow: match.allow.join(', ') });
    }
    if (match.route.auth && !bearerMatches(req.headers.authorization, token)) {
      throw new HttpError(401, 'Unauthorized', 'Send the admin token as "Authorization: Bearer <token>" (it is in the token file named in the log line that gave the admin URL).',
        { 'WWW-Authenticate': 'Bearer' });
    }
    const result = await match.route.handle(gru, { params: match.params, query: url.searchParams, body: () => readJson(req) });
    if (result.html !== undefined) {
      res.writeHead(result.status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' }).end(result.html);
    } else {
      reply(res, result.status, result.json);
    }
  } catch (e) {
    const status = httpStatusOf(e);
    if (status === 500) log.log('error', `Admin API: ${req.method} ${url.pathname} failed`, errorFields(e));
    reply(res, status, errorBody(e), e instanceof HttpError ? e.headers : {});
  }
  return true;
}

function reply(res: ServerResponse, status: number, json: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) { res.end(); return; }
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }).end(JSON.stringify(json));
}

/** The request body as JSON (`undefined` when empty). @throws HttpError 413 past {@link ADMIN_MAX_BODY_BYTES}, 400 when not JSON. */
async function readJson(req: IncomingMessage): Promise<unknown> {
  const tooLarge = (): HttpError => new HttpError(413, 'PayloadTooLarge', `The request body is larger than ${ADMIN_MAX_BODY_BYTES} bytes.`, { Connection: 'close' });
  if (Number(req.headers['content-length'] ?? 0) > ADMIN_MAX_BODY_BYTES) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= ADMIN_MAX_BODY_BYTES) chunks.push(chunk); // past the limit, read on (the client is still sending) but keep nothing
  }
  if (size > ADMIN_MAX_BODY_BYTES) throw tooLarge();
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new HttpError(400, 'BadRequest', `The request body is not JSON: ${(e as Error).message}.`);
  }
}
