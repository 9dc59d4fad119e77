/**
 * The HTTP client of the `minions` admin commands: where the admin API is, which token it takes,
 * and errors that say what to check.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CliError } from '../cli-error';
import type { ErrorBody } from './admin-types';

/** The admin API's address when `--url` is not given: the default metrics/admin port on loopback. */
export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:8081';
/** The environment variable read for the token when `--token-file` is not given. */
export const TOKEN_ENV = 'MINIONS_ADMIN_TOKEN';
/** The token file's name inside the running process's state directory. */
export const TOKEN_FILE_NAME = 'admin.token';

/** The options every admin command takes (see `addAdminOptions`). */
export interface AdminOptions {
  url: string;
  stateDir: string;
  tokenFile?: string;
  json?: boolean;
}

/** Where a request goes and with which token; `tokenSource` names where the token came from, for errors. */
export interface AdminTarget {
  baseUrl: string;
  token: string;
  tokenSource: string;
}

/**
 * The target of `options`: the token from `--token-file`, else from `$MINIONS_ADMIN_TOKEN`, else
 * from `<--state-dir>/admin.token`.
 * @throws CliError (exit 1) when the token file cannot be read or is empty; (exit 2) for a URL
 *   that is not http(s).
 */
export function resolveTarget(options: AdminOptions, env: NodeJS.ProcessEnv = process.env): AdminTarget {
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    throw new CliError(`--url ${JSON.stringify(options.url)} is not a URL: give the admin API's base URL, e.g. ${DEFAULT_ADMIN_URL}.`, 2);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`--url ${options.url} must be an http:// or https:// URL, e.g. ${DEFAULT_ADMIN_URL}.`, 2);
  }
  const baseUrl = options.url.replace(/\/+$/, '');
  if (options.tokenFile === undefined && env[TOKEN_ENV]) {
    return { baseUrl, token: env[TOKEN_ENV].trim(), tokenSource: `$${TOKEN_ENV}` };
  }
  const file = options.tokenFile ?? path.join(options.stateDir, TOKEN_FILE_NAME);
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new CliError(`cannot read the admin token file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}): ` +
      `the running process writes ${TOKEN_FILE_NAME} in its state directory; pass --state-dir <that directory> or --token-file <file>, or set ${TOKEN_ENV}.`,
    1, { cause: e });
  }
  if (token === '') throw new CliError(`the admin token file ${file} is empty: pass the running process's ${TOKEN_FILE_NAME} with --token-file or --state-dir.`);
  return { baseUrl, token, tokenSource: `token file ${file}` };
}

/**
 * Sends one request to the admin API and resolves with its JSON body.
 * @param route the path after the base URL, e.g. `/status` (ids already encoded).
 * @throws CliError (exit 1): the server is unreachable (names the URL and what to check), the
 *   token was refused (names where it came from), any other error answer (its status, code and
 *   message), or a body that is not JSON.
 */
export async function adminRequest<T>(target: AdminTarget, method: 'GET' | 'POST' | 'DELETE', route: string, body?: unknown): Promise<T> {
  const url = `${target.baseUrl}${route}`;
  const headers: Record<string, string> = { authorization: `Bearer ${target.token}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new CliError(`cannot reach the admin API at ${target.baseUrl} (${cause?.code ?? cause?.message ?? (e as Error).message}): ` +
      'check that the process is running with its admin API on (GruOptions.admin) and that --url is its metrics/admin address.', 1, { cause: e });
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new CliError(`${method} ${url} answered ${response.status} with a body that is not JSON: is --url the admin API's address? Body: ${text.slice(0, 200)}`);
  }
  if (response.ok) return parsed as T;
  const error = (parsed as Partial<ErrorBody> | undefined)?.error;
  const detail = error ? `${error.code}: ${error.message}` : text.slice(0, 200);
  if (response.status === 401) {
    throw new CliError(`the admin API at ${target.baseUrl} refused the token from ${target.tokenSource} (401 ${detail}): ` +
      `use the running process's own ${TOKEN_FILE_NAME} (from its state directory) with --token-file or --state-dir.`);
  }
  throw new CliError(`${method} ${url} failed with ${response.status} ${detail}`);
}

/** Prints `value` as indented JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints `lines` on stdout, one per line. */
export function printLines(lines: readonly string[]): void {
  for (const line of lines) process.stdout.write(`${line}\n`);
}
