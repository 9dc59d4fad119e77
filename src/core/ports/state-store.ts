/** One saved checkpoint row as a store returns it. `context` is the opaque encoded envelope. */
export interface StoredContext {
  workflowId: string;
  orchestrationId: string;
  context: Uint8Array;
}

/** One orchestration's saved checkpoints in brief, as {@link StateStore.summarizeOrchestrations} lists them. */
export interface OrchestrationSummary {
  orchestrationId: string;
  /** How many checkpoints it has (at least 1). */
  count: number;
  /** One of its checkpoints, preferably the most recently added: the runtime reads its envelope. */
  sample: Uint8Array;
}

/**
 * What {@link StateStore.claimContext} found: no checkpoint (`absent`); a checkpoint now owned by
 * this process (`claimed`, with its row); or one owned by another live process (`owned`, by `owner`).
 */
export type ContextClaim =
  | { status: 'absent' }
  | { status: 'claimed'; context: StoredContext }
  | { status: 'owned'; owner: string };

/**
 * Port: durable storage of workflow checkpoints. Also the Inversify token.
 * Stores never interpret blobs. Writes must be durable when their promise resolves;
 * batching is allowed only if each call waits for its own batch's commit.
 */
export abstract class StateStore {
  /** Opens the store. Called once by `Gru.create`. */
  startup?(): Promise<void>;
  /** Flushes and closes the store. Called once by `Gru.shutdown`. */
  shutdown?(): Promise<void>;
  /** Upserts the checkpoint of `workflowId`; durable on resolve. Rejections are retryable failures. */
  abstract saveContext(workflowId: string, orchestrationId: string, blob: Uint8Array): Promise<void>;
  /** Deletes the checkpoint of `workflowId`; a missing id is a no-op; durable on resolve. */
  abstract deleteContext(workflowId: string): Promise<void>;
  /** Every checkpoint of one orchestration; sees all writes resolved before the call. */
  abstract getContextsForOrchestration(orchestrationId: string): Promise<StoredContext[]>;
  /** Every checkpoint in the store. */
  abstract getAllContexts(): Promise<StoredContext[]>;
  /**
   * Optional. One {@link OrchestrationSummary} per orchestration that has checkpoints, in any
   * order, leaving out `exceptOrchestrationId`; sees all writes resolved before the call. The
   * runtime calls it at every orchestration start to find saved workflows of the same minion
   * under another orchestration id (another pipeline or config), and builds the same list from
   * {@link getAllContexts} for a store without it: implement it when reading every checkpoint
   * is costly. It should cost next to nothing when no other orchestration has checkpoints.
   */
  summarizeOrchestrations?(exceptOrchestrationId?: string): Promise<OrchestrationSummary[]>;

  /**
   * Optional, for a store several processes share (ownership). `Gru.create` calls it once, right
   * after `startup()` and before any write, with the process's executor id (see `Gru.executorId`).
   * From then on the store records that id as the owner of every checkpoint this process saves,
   * and keeps the executor alive in the store (a lease renewed by heartbeat) until `shutdown()`,
   * so other processes can tell its workflows from those of a process that is gone.
   */
  attachExecutor?(executorId: string): Promise<void>;
  /**
   * Optional, with {@link attachExecutor}. The checkpoints of `orchestrationId` this process may
   * resume: those it owns, and those whose owner is gone (its lease expired, or none recorded),
   * which it takes over in the same call (each row claimed by one caller only). The runtime calls
   * it instead of {@link getContextsForOrchestration} when an orchestration starts; checkpoints of
   * other live processes are left to them.
   */
  claimContextsForOrchestration?(orchestrationId: string): Promise<StoredContext[]>;
  /**
   * Optional, with {@link attachExecutor}. Claims the one checkpoint of `workflowId`: `claimed`
   * (with its row) when it is this process's or its owner is gone (it becomes this process's in
   * the same call, one caller only), `owned` when another live process owns it, `absent` when
   * there is none. The runtime calls it when a redelivering source (NATS JetStream) hands out a
   * message again; a store without it is taken to have no other process (SQLite, in memory).
   */
  claimContext?(workflowId: string): Promise<ContextClaim>;
}
