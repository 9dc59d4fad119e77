import { Resource, resource } from 'minions';
import { RouteSettings } from './settings';
import type { FlightResult } from './tally-book';

/** In-process resource through which the workflows write to the run's {@link TallyBook}. */
@resource({ id: '032b0f2e-793e-4a26-b453-aa6717ff9344' })
export class RouteTally extends Resource {
  constructor(private readonly settings: RouteSettings) {
    super();
  }

  /** Records flight `index`'s result (idempotent). */
  async record(index: number, result: FlightResult): Promise<void> {
    this.settings.book.record(index, result);
  }

  /** Counts a call that failed because its host crashed. */
  async countCrashedCall(): Promise<void> {
    this.settings.book.countCrashedCall();
  }
}
