// age's base64: the standard alphabet without padding, and only the canonical encoding. Node's
// decoder is lenient (it skips stray characters and ignores non-zero trailing bits), so a value is
// accepted only if it survives a round trip unchanged: two spellings of the same bytes would let
// an attacker alter a header without changing what it means, which the spec forbids.

const UNPADDED = /^[A-Za-z0-9+/]*$/;

export function encodeBase64(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64').replace(/=+$/, '');
}

/** Decodes canonical unpadded base64, or returns null. */
export function decodeBase64(text: string): Buffer | null {
  if (!UNPADDED.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64');
  return encodeBase64(bytes) === text ? bytes : null;
}

/** Decodes canonical unpadded base64 that must be exactly `length` bytes long, or returns null. */
export function decodeBase64Exact(text: string, length: number): Buffer | null {
  const bytes = decodeBase64(text);
  return bytes !== null && bytes.length === length ? bytes : null;
}
