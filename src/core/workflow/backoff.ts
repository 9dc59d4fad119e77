/** The retry schedule now lives in `../runtime/backoff`, shared by checkpoints and producers; this path re-exports it. */
export { backoffDelayMs, sleep, type BackoffOptions } from '../runtime/backoff';
