import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { Resource, resource } from 'minions';
import { SampleSettings } from './settings';

/** One airport of `airports.csv`. */
export interface Airport {
  iata: string;
  name: string;
  city: string;
  state: string;
}

/**
 * Parses `airports.csv` (`iata,name,city,state,country,latitude,longitude`). Several names hold
 * quoted commas (`"Dr. C.P. Savage, Sr."`), so a real CSV parser reads it.
 * @throws Error naming the file when the header lacks `iata` or `name`, or a row is malformed.
 */
export function parseAirportsCsv(text: string, file = 'airports.csv'): Map<string, Airport> {
  let rows: Array<Record<string, string>>;
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  const airports = new Map<string, Airport>();
  if (rows.length > 0 && (!('iata' in rows[0]) || !('name' in rows[0]))) {
    throw new Error(`${file}: the header must name the columns "iata" and "name".`);
  }
  for (const row of rows) {
    const iata = row.iata.toUpperCase();
    airports.set(iata, { iata, name: row.name, city: row.city ?? '', state: row.state ?? '' });
  }
  return airports;
}

/**
 * Shared resource: the airports of `airports.csv`, loaded once at startup, looked up by IATA code.
 */
@resource({ id: '49514396-c60c-469b-990e-cfcd8b133b5b' })
export class AirportDirectory extends Resource {
  private airports = new Map<string, Airport>();

  constructor(private readonly settings: SampleSettings) {
    super();
  }

  override async startup(): Promise<void> {
    const file = this.settings.airportsPath;
    this.airports = parseAirportsCsv(await readFile(file, 'utf8'), file);
  }

  /**
   * The airport with this IATA code (case-insensitive), or `undefined` when unknown. Synchronous:
   * a map lookup needs no promise (and the runtime's per-call metrics cover async methods only).
   */
  lookup(iata: string): Airport | undefined {
    return this.airports.get(iata.toUpperCase());
  }

  /** How many airports were loaded. */
  get size(): number {
    return this.airports.size;
  }
}
