/** Where `--state postgres://...` puts the checkpoints and the sample's tables. */
export interface PostgresTarget {
  /** The connection URL given to `pg`, without the sample's own parameters. */
  url: string;
  /** Schema of the checkpoints and of `alerts`, `verdicts`, `run_parameters` (`?schema=`, default `flight_delays`). */
  schema: string;
  /** Lease of a process after its last heartbeat (`?lease_ms=`, default 10,000): then others take over its workflows. */
  leaseMs: number;
  /** The URL without its password, for messages. */
  display: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,47}$/;

/**
 * Parses a `--state` value: `postgres://user:password@host:port/database`, with the sample's
 * parameters `schema` and `lease_ms` (other query parameters, e.g. `sslmode`, go to `pg`).
 * @throws Error saying what is wrong with it (the caller names the flag).
 */
export function parseStateUrl(value: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error('Expected a URL postgres://user:password@host:port/database.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`Expected a postgres:// URL (the default store, SQLite in --data-dir, needs no --state), got ${url.protocol}//.`);
  }
  if (url.hostname === '' || url.pathname.length <= 1) throw new Error('Expected a host and a database: postgres://user:password@host:port/database.');
  const schema = url.searchParams.get('schema') ?? 'flight_delays';
  if (!IDENTIFIER.test(schema)) throw new Error(`schema=${schema}: expected lower-case letters, digits and _ (at most 48).`);
  const leaseMs = integerParam(url, 'lease_ms', 10_000, 1000);
  url.searchParams.delete('schema');
  url.searchParams.delete('lease_ms');
  const display = new URL(url);
  display.password = '';
  return { url: url.toString(), schema, leaseMs, display: display.toString() };
}

/** An integer query parameter of at least `min`, or `fallback` when absent. */
export function integerParam(url: URL, name: string, fallback: number, min: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min) throw new Error(`${name}=${raw}: expected an integer >= ${min}.`);
  return n;
}
