import { MinionsError } from '../index';

/**
 * The default failure of a {@link FaultInjectingStateStore}: `injected save failure`,
 * `injected delete failure`, `injected read failure`. Retryable, as a real store's write
 * failures are.
 */
export class InjectedFaultError extends MinionsError {
  static readonly code = 'MINIONS_INJECTED_FAULT';
  /** The store operation that was failed: `save`, `delete` or `read`. */
  readonly operation: string;
  constructor(operation: string) {
    super(InjectedFaultError.code, `injected ${operation} failure`, { retryable: true });
    this.operation = operation;
  }
}
