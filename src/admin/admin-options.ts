import { isIP } from 'node:net';
import { InvalidOptionError } from '../core/errors';
import type { AdminOptions } from '../gru';

/** Whether a host name or address only reaches this machine (`localhost`, 127.0.0.0/8, `::1`). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

/**
 * Checks `GruOptions.admin` (`undefined` is `{}`); `null` when it is `false`.
 * @throws InvalidOptionError naming the bad field.
 */
export function checkAdminOptions(value: AdminOptions | false | undefined): AdminOptions | null {
  if (value === false) return null;
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidOptionError('GruOptions.admin', value, 'false or an object { port?, host?, token?, tokenFile? }');
  }
  const { port, host, token, tokenFile } = value;
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new InvalidOptionError('GruOptions.admin.port', port, 'an integer in 0..65535 (0: a free port)');
  }
  for (const [name, v] of [['host', host], ['token', token], ['tokenFile', tokenFile]] as const) {
    if (v !== undefined && (typeof v !== 'string' || v.trim() === '' || /\s/.test(name === 'tokenFile' ? '' : v))) {
      throw new InvalidOptionError(`GruOptions.admin.${name}`, v, name === 'tokenFile' ? 'a file path' : 'a non-empty string without spaces');
    }
  }
  return value;
}

/** `http://host:port`, the host in brackets when it is an IPv6 address. */
export function baseUrl(host: string, port: number): string {
  return `http://${isIP(host) === 6 ? `[${host}]` : host}:${port}`;
}
