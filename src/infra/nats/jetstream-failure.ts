import { JetStreamError, MinionsError, type JetStreamProblem } from '../../core/errors';
import { describeError } from '../stderr-reporter';

/** What the pipeline was doing when it failed. */
export type JetStreamStage = 'connect' | 'jetstream' | 'stream' | 'consumer' | 'fetch';

/**
 * A failure of the `nats` client as a {@link JetStreamError} naming server, stream and consumer,
 * with the problem and what to do. A MinionsError passes through unchanged.
 */
export function jetStreamFailure(where: { servers: string; stream: string; consumer: string }, stage: JetStreamStage, error: unknown): MinionsError {
  if (MinionsError.is(error)) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  let problem: JetStreamProblem = 'failed';
  let hint = 'See the cause.';
  if (stage === 'connect' || code === 'CONNECTION_REFUSED' || code === 'AUTHORIZATION_VIOLATION' || code === 'BAD_AUTHENTICATION') {
    problem = 'unreachable';
    hint = code === 'AUTHORIZATION_VIOLATION' || code === 'BAD_AUTHENTICATION'
      ? 'The server refused the login: check the credentials in the connection options.'
      : 'Check that nats-server runs (with JetStream: nats-server -js) and listens at that address.';
  } else if (stage === 'jetstream' || code === '503') {
    problem = 'no-jetstream';
    hint = 'The server answers but JetStream is not enabled on it: start nats-server with -js (or jetstream {} in its config).';
  } else if (stage === 'fetch') {
    hint = 'Fetching messages failed; the pipeline tries again after a backoff.';
  }
  return new JetStreamError({ ...where, problem }, `${stage} failed: ${describeError(error)}. ${hint}`, { cause: error });
}
