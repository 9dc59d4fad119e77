import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { adminRequest, resolveTarget } from '../../../src/cli/admin/admin-client';
import { CliError } from '../../../src/cli/cli-error';

describe('admin client', () => {
  let dir: string;
  let server: http.Server;
  let url: string;
  const seen: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'minions-admin-client-'));
    fs.writeFileSync(path.join(dir, 'admin.token'), 'good\n');
    server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (s: string) => { body += s; }).on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        if (req.headers.authorization !== 'Bearer good') {
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'MINIONS_ADMIN_UNAUTHORIZED', type: 'Unauthorized', message: 'bad token' } }));
        } else if (req.url === '/text') {
          res.writeHead(200).end('<html>');
        } else if (req.url === '/missing') {
          res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'MINIONS_WORKFLOW_NOT_FOUND', type: 'WorkflowNotFoundError', message: 'no workflow w' } }));
        } else {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
        }
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('takes the token from --token-file, else $MINIONS_ADMIN_TOKEN, else <state dir>/admin.token', () => {
    const other = path.join(dir, 'other.token');
    fs.writeFileSync(other, 'x');
    expect(resolveTarget({ url: `${url}/`, stateDir: dir, tokenFile: other }, { MINIONS_ADMIN_TOKEN: 'env' })).toEqual({ baseUrl: url, token: 'x', tokenSource: `token file ${other}` });
    expect(resolveTarget({ url, stateDir: dir }, { MINIONS_ADMIN_TOKEN: 'env' }).token).toBe('env');
    expect(resolveTarget({ url, stateDir: dir }, {}).token).toBe('good');
  });

  it('names a missing token file and how to give the right one', () => {
    const missing = path.join(dir, 'nope', 'admin.token');
    expect(() => resolveTarget({ url, stateDir: path.join(dir, 'nope') }, {})).toThrow(`cannot read the admin token file ${missing} (ENOENT)`);
  });

  it('rejects a --url that is not http(s) as a usage error', () => {
    expect(() => resolveTarget({ url: 'ftp://x', stateDir: dir }, {})).toThrow(expect.objectContaining({ exitCode: 2 }) as CliError);
  });

  it('sends the bearer token and a JSON body, and resolves with the JSON answer', async () => {
    const target = resolveTarget({ url, stateDir: dir }, {});
    await expect(adminRequest(target, 'POST', '/x', { reload: true })).resolves.toEqual({ ok: true });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/x', auth: 'Bearer good', body: '{"reload":true}' });
  });

  it('names the token\'s source on 401, and the code and message of other error answers', async () => {
    const bad = path.join(dir, 'bad.token');
    fs.writeFileSync(bad, 'bad');
    await expect(adminRequest(resolveTarget({ url, stateDir: dir, tokenFile: bad }, {}), 'GET', '/status'))
      .rejects.toThrow(`the admin API at ${url} refused the token from token file ${bad} (401 MINIONS_ADMIN_UNAUTHORIZED: bad token)`);
    const target = resolveTarget({ url, stateDir: dir }, {});
    await expect(adminRequest(target, 'DELETE', '/missing')).rejects.toThrow(`DELETE ${url}/missing failed with 404 MINIONS_WORKFLOW_NOT_FOUND: no workflow w`);
    await expect(adminRequest(target, 'GET', '/text')).rejects.toThrow('answered 200 with a body that is not JSON');
  });

  it('names the URL and what to check when nothing listens there', async () => {
    const closed = http.createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((done) => closed.close(() => done()));
    await expect(adminRequest({ baseUrl: `http://127.0.0.1:${port}`, token: 't', tokenSource: 'x' }, 'GET', '/status'))
      .rejects.toThrow(new RegExp(`cannot reach the admin API at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): check that the process is running`));
  });
});
