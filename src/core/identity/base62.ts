/**
 * Base62 encoding of byte strings, as orchestration ids use it.
 */

/** The base62 digits in value order: `0-9`, then `A-Z`, then `a-z`. */
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const SIXTY_TWO = 62n;

/**
 * Encodes `bytes`, read as one big-endian unsigned integer, in base62 (alphabet
 * {@link BASE62_ALPHABET}), most significant digit first, without padding.
 *
 * - The value 0 (no bytes, or only zero bytes) encodes as `"0"`.
 * - Leading zero bytes do not change the value, so they leave no trace:
 *   `[0x00, 0x3d]` -> `"z"`, `[0x00, 0x3e]` -> `"10"`.
 * - A 32-byte SHA-256 digest encodes to at most 43 characters (62^43 > 2^256).
 *
 * The base62 of the Python original, used by `orchestrationId`. Never throws.
 *
 * @param bytes the integer's bytes, most significant first.
 * @returns the base62 digits.
 */
export function base62Encode(bytes: Uint8Array): string {
  if (bytes.length === 0) return '0';
  let value = BigInt('0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex'));
  if (value === 0n) return '0';
  const digits: string[] = [];
  while (value > 0n) {
    digits.push(BASE62_ALPHABET[Number(value % SIXTY_TWO)]);
    value /= SIXTY_TWO;
  }
  return digits.reverse().join('');
}
