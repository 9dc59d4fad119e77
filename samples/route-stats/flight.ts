/**
 * One flight of `flights-20k.json`, as the event the feed emits. A data class: every field has
 * a default, so the runtime can rebuild it from a checkpoint with `new Flight()`.
 */
export class Flight {
  /** Position in the input (0-based): the flight's key. */
  index = 0;
  /** IATA code of the origin airport. */
  origin = '';
  /** IATA code of the destination airport. */
  destination = '';
}

/** Per-workflow state of the route-stats minion (a data class, like any context; this sample keeps no checkpoints). */
export class RouteContext {
  /** Great-circle distance, whole metres; 0 when an airport is unknown. */
  meters = 0;
  /** Airports nearest to the points along the route, in route order, repeats removed. */
  corridor: string[] = [];
  /** Codes of the flight missing from `airports.csv`. */
  unknown: string[] = [];
  /** Fingerprint of the route from the "native" resource. */
  fingerprint = 0;
}
