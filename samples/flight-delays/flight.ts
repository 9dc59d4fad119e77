/**
 * One US domestic flight of 2001, as the event that `FlightFeed` emits. A data class: every
 * field has a default, so the runtime can rebuild it from a checkpoint with `new Flight()`.
 */
export class Flight {
  /** Position of the record in the input (0-based): the flight's durable key. */
  index = 0;
  /** Scheduled departure, as written in the input (`"2001/01/14 21:55"`). */
  date = '';
  /** Arrival delay in minutes; negative when early. */
  delay = 0;
  /** Distance in miles. */
  distance = 0;
  /** IATA code of the origin airport. */
  origin = '';
  /** IATA code of the destination airport. */
  destination = '';
}

/** A flight as read from the input, before it gets its index. */
export type FlightRecord = Omit<Flight, 'index'>;
