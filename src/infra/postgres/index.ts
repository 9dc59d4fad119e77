/** The PostgreSQL state store. `pg` is loaded at its `startup()`, not by this import. */
export { PostgresStateStore, type PostgresStateStoreOptions, type PostgresStateStoreStats } from './postgres-state-store';
