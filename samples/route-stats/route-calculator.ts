/**
 * The CPU-heavy resource, in three placements. The hosts of the isolated ones load this
 * compiled module and take the class by its exported name, so every variant is exported here.
 */
import { readFile } from 'node:fs/promises';
import { Resource, resource } from 'minions';
import { airportsFile } from './datasets';
import { measureRoute, parseAirports, type AirportTable, type RouteMeasure } from './geo';

/** Points along each route matched to their nearest airport: the work per flight. */
export const ROUTE_POINTS = 48;

/**
 * Loads `airports.csv` at startup, then measures one flight per call: its great-circle distance
 * and the airports along its route, found by brute force (about 165,000 haversines a flight).
 * Synchronous CPU work inside an `async` method: in process it holds the event loop for the
 * whole call.
 */
export class RouteCalculator extends Resource {
  private table?: AirportTable;

  override async startup(): Promise<void> {
    this.table = parseAirports(await readFile(airportsFile(), 'utf8'));
  }

  /** Measures the route from `origin` to `destination` (IATA codes). */
  async measure(origin: string, destination: string): Promise<RouteMeasure> {
    return measureRoute(this.table!, origin, destination, ROUTE_POINTS);
  }
}

/** In the Gru's own thread (`--isolation none`). */
@resource({ id: 'e31ca107-2248-46f1-9d4b-a9e05a0e1107' })
export class InProcessRouteCalculator extends RouteCalculator {}

/** In a worker thread (`--isolation worker`). */
@resource({ id: '6fc9b90f-0342-4d96-a777-6a5adfdee31c', isolation: 'worker' })
export class WorkerRouteCalculator extends RouteCalculator {}

/** In a child process (`--isolation process`). */
@resource({ id: '6255476a-56a4-46ca-995b-f5ba0622d5c7', isolation: 'process' })
export class ChildRouteCalculator extends RouteCalculator {}
