import stopTestNats from './nats-global-teardown';
import stopTestPostgres from './postgres-global-teardown';

/** jest globalTeardown: stops both servers globalSetup started, the second even if the first fails to stop. */
export default function globalTeardown(): void {
  try {
    stopTestPostgres();
  } finally {
    stopTestNats();
  }
}
