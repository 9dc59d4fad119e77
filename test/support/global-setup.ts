import startTestNats from './nats-global-setup';
import startTestPostgres from './postgres-global-setup';

/** jest globalSetup: the throwaway servers of the tests, PostgreSQL and NATS JetStream (each fails its own tests if it cannot start). */
export default function globalSetup(): void {
  startTestPostgres();
  startTestNats();
}
