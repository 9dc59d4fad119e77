import type { Metrics } from '../core/ports/metrics';
import type { SafeLogger } from '../core/runtime/safe-logger';
import type { Gru } from './gru';
import type { GruOptions } from './gru-options';

/*
 * The seam for parts that sit above src/gru but are on by default (the admin API): such a part
 * registers a factory when its module loads; Gru.create calls every registered factory once its
 * ports run (a factory that throws fails the create, and what started is shut down), and
 * Gru.shutdown closes what they returned after the orchestrations stop, before the ports close.
 * Gru never imports those parts; loading the package entry loads them.
 */

/** What `Gru.create` hands each attachment factory. */
export interface GruAttachmentContext {
  gru: Gru;
  /** The options given to `Gru.create`. */
  options: GruOptions;
  /** The running metrics port (the adapter instance, not the runtime's guarded view). */
  metrics: Metrics;
  /** The directory of the SQLite store's file, else the working directory (absolute). */
  stateDir: string;
  log: SafeLogger;
}

/** A running attachment. */
export interface GruAttachment {
  /** The name it registered under. */
  readonly name: string;
  /** Where it can be reached, if anywhere. */
  readonly url?: string;
  /** Stops it; never rejects. */
  close(): Promise<void>;
}

/** Starts an attachment for a Gru, or returns `undefined` when it is off. */
export type GruAttachmentFactory = (context: GruAttachmentContext) => Promise<GruAttachment | undefined>;

const factories = new Map<string, GruAttachmentFactory>();

/** Registers (or replaces) the factory of `name`; every `Gru.create` after this runs it. */
export function registerGruAttachment(name: string, factory: GruAttachmentFactory): void {
  factories.set(name, factory);
}

/** Runs every registered factory in registration order; on a failure, closes those started and rethrows. */
export async function startGruAttachments(context: GruAttachmentContext): Promise<GruAttachment[]> {
  const started: GruAttachment[] = [];
  try {
    for (const factory of factories.values()) {
      const attachment = await factory(context);
      if (attachment) started.push(attachment);
    }
  } catch (e) {
    await closeGruAttachments(started);
    throw e;
  }
  return started;
}

/** Closes attachments, last started first. */
export async function closeGruAttachments(attachments: readonly GruAttachment[]): Promise<void> {
  for (const a of [...attachments].reverse()) await a.close();
}
