/**
 * The orchestration id: an opaque, deterministic name for the composition
 * (minion identity, pipeline identity, config identity).
 */
import { createHash } from 'node:crypto';
import { InvalidArgumentError } from '../errors';
import { base62Encode } from './base62';
import { canonicalJson } from './canonical-json';

/** The three identities an orchestration is made of. */
export interface OrchestrationIdentity {
  /** The minion's component identity: its decorator `id`, or its fallback address. */
  minionId: string;
  /** The pipeline's component identity: its decorator `id`, or its fallback address. */
  pipelineId: string;
  /** The config identity: `''` without config (see `config-identity.ts`). */
  configId: string;
}

/** Length of every orchestration id, in characters. */
export const ORCHESTRATION_ID_LENGTH = 44;

/** Version field hashed into every id; changing it would change every id. */
const ID_VERSION = 1;

/**
 * Computes the orchestration id exactly as the reference framework does, so that
 * the same three identities give the same id in Python and in TypeScript:
 *
 * 1. canonical JSON (see `canonicalJson`) of
 *    `{"minion_config_id": configId, "minion_id": minionId, "pipeline_id": pipelineId, "version": 1}`
 *    (keys sorted, compact, non-ASCII escaped as lowercase `\uXXXX`);
 * 2. SHA-256 of its UTF-8 bytes;
 * 3. the digest as a big-endian unsigned integer in base62 (`0-9A-Za-z`);
 * 4. left-padded with `'0'` to `ORCHESTRATION_ID_LENGTH` (44) characters; since the raw
 *    encoding has at most 43 characters, every id starts with `'0'`.
 *
 * Pure and deterministic; the id is opaque (not parseable back into its parts).
 *
 * @example orchestrationId({ pipelineId: 'p', minionId: 'm', configId: 'configs/é.toml' })
 *   // -> '0dDZ4USMME5e0HnBzIYdCEE9Mhf51WGTvyiv4K3pe0PT'
 * @throws InvalidArgumentError when one of the three identities is not a string.
 */
export function orchestrationId(identity: OrchestrationIdentity): string {
  const { minionId, pipelineId, configId } = identity;
  for (const [name, value] of [['minionId', minionId], ['pipelineId', pipelineId], ['configId', configId]] as const) {
    if (typeof value !== 'string') {
      throw new InvalidArgumentError(`orchestrationId: ${name} must be a string, got ${typeof value}`);
    }
  }
  const text = canonicalJson({
    minion_config_id: configId,
    minion_id: minionId,
    pipeline_id: pipelineId,
    version: ID_VERSION,
  });
  const digest = createHash('sha256').update(text, 'utf8').digest();
  return base62Encode(digest).padStart(ORCHESTRATION_ID_LENGTH, '0');
}
