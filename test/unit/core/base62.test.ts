import { BASE62_ALPHABET, base62Encode } from '../../../src/core/identity/base62';

describe('SEMANTICS 2 / REFERENCE I-06: base62 encodes bytes as a big-endian integer', () => {
  it('uses the alphabet 0-9A-Za-z in value order', () => {
    expect(BASE62_ALPHABET).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');
    expect(base62Encode(Uint8Array.of(9))).toBe('9');
    expect(base62Encode(Uint8Array.of(10))).toBe('A');
    expect(base62Encode(Uint8Array.of(36))).toBe('a');
    expect(base62Encode(Uint8Array.of(61))).toBe('z');
    expect(base62Encode(Uint8Array.of(62))).toBe('10');
  });

  it('encodes the value zero as "0" (no bytes, or only zero bytes)', () => {
    expect(base62Encode(new Uint8Array(0))).toBe('0');
    expect(base62Encode(Uint8Array.of(0))).toBe('0');
    expect(base62Encode(new Uint8Array(32))).toBe('0');
  });

  it('drops leading zero bytes: 0x00 0x3d -> "z", 0x00 0x3e -> "10"', () => {
    expect(base62Encode(Uint8Array.of(0x00, 0x3d))).toBe('z');
    expect(base62Encode(Uint8Array.of(0x00, 0x3e))).toBe('10');
  });

  it('reads bytes big-endian', () => {
    // 0x0100 = 256 = 4*62 + 8
    expect(base62Encode(Uint8Array.of(0x01, 0x00))).toBe('48');
    // 0xffff = 65535 = 17*62^2 + 3*62 + 1
    expect(base62Encode(Uint8Array.of(0xff, 0xff))).toBe('H31');
  });

  it('encodes a 32-byte digest of all ones in 43 characters (62^43 > 2^256)', () => {
    const encoded = base62Encode(new Uint8Array(32).fill(0xff));
    expect(encoded).toHaveLength(43);
    expect(encoded).toMatch(/^[0-9A-Za-z]+$/);
  });

  it('honours the view of a Uint8Array that is a slice of a larger buffer', () => {
    const backing = Uint8Array.of(0xff, 0x00, 0x3e, 0xff);
    expect(base62Encode(backing.subarray(1, 3))).toBe('10');
  });
});
