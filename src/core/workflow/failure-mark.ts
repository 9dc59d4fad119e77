import { decodeCheckpoint, encodeCheckpoint, type CheckpointFailure } from '../codec/checkpoint-codec';

/**
 * The blob a failed workflow keeps under `workflowFailurePolicy: 'keep'`: the checkpoint saved
 * before the failed step, with the failure mark added. Decoded and written again (the general
 * encoder, the only one that writes `failure`): this runs once per kept failure, never per step.
 * @throws CheckpointDecodeError or SerializationError should the pre-step blob not round-trip.
 */
export function markFailed(preStep: Uint8Array, failure: CheckpointFailure): Uint8Array {
  return encodeCheckpoint({ ...decodeCheckpoint(preStep), failure });
}

/**
 * The blob of a kept failed workflow without its failure mark: a plain checkpoint before the
 * failed step, which a start resumes like any other.
 * @throws CheckpointDecodeError for a blob that does not decode.
 */
export function clearFailure(blob: Uint8Array): Uint8Array {
  const { failure: _dropped, ...envelope } = decodeCheckpoint(blob);
  return encodeCheckpoint(envelope);
}
