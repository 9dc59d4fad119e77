/**
 * `minions/testing`: doubles, a fault-injecting store, a one-minion harness and the
 * StateStore contract suite.
 * @packageDocumentation
 * @module minions/testing
 */
export { InMemoryStateStore, InMemoryLogger, InMemoryMetrics, NoOpStateStore, NoOpLogger, NoOpMetrics } from '../index';
export { FaultInjectingStateStore, type FaultCounts } from './fault-injecting-state-store';
export { InjectedFaultError } from './injected-fault-error';
export { runMinion, type HarnessOptions, type HarnessResult, type WorkflowReport } from './minion-harness';
export { runStateStoreContract } from './state-store-contract';
