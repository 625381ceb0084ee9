/**
 * Byte helpers on the hot path of document encryption, byte-for-byte compatible with libsodium's but without its
 * per-byte JavaScript loops and copies through the WebAssembly heap. Browser-compatible: no node: imports; Node's
 * Buffer is used only when the runtime provides it as a global.
 */
import type { Sodium } from '../../shared/sodium';

/**
 * ISO/IEC 7816-4 padding exactly as libsodium's sodium_pad writes it: the data, one 0x80 byte, then zeros up to the
 * next multiple of blockSize strictly greater than the data's length (so at least one byte of padding is always
 * added). sodium.unpad reads it, and documents padded by sodium.pad before read the same way.
 */
export function padIso7816(data: Uint8Array, blockSize: number): Uint8Array {
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0) throw new Error('block size must be > 0');
  const padded = new Uint8Array(data.length + blockSize - (data.length % blockSize));
  padded.set(data);
  padded[data.length] = 0x80; // the rest is already zero
  return padded;
}

// Base64 URL-safe without padding: libsodium's default variant (URLSAFE_NO_PADDING), what every stored field uses.
const BASE64URL_OPTIONS = { alphabet: 'base64url', omitPadding: true } as const;

/** The TC39 base64 methods (Uint8Array.prototype.toBase64, Uint8Array.fromBase64), typed here until lib.d.ts has them. */
interface NativeBase64 {
  fromBase64?: (text: string, options: { alphabet: 'base64url'; lastChunkHandling: 'loose' }) => Uint8Array;
  prototype: { toBase64?: (this: Uint8Array, options: typeof BASE64URL_OPTIONS) => string };
}
interface BufferLike {
  from(data: ArrayBuffer, byteOffset: number, length: number): { toString(encoding: 'base64url'): string };
  from(text: string, encoding: 'base64url'): Uint8Array;
}

const native = Uint8Array as unknown as NativeBase64;
const nodeBuffer = (globalThis as { Buffer?: BufferLike }).Buffer;

/**
 * Base64url without padding, the same text sodium.to_base64(bytes) gives. Prefers the runtime's own codec (the
 * TC39 method, else Node's Buffer), falling back to libsodium's in a runtime with neither.
 */
export function toBase64Url(sodium: Sodium, bytes: Uint8Array): string {
  const toBase64 = native.prototype.toBase64;
  if (toBase64) return toBase64.call(bytes, BASE64URL_OPTIONS);
  if (nodeBuffer) return nodeBuffer.from(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
  return sodium.to_base64(bytes);
}

/**
 * Decodes base64url without padding, refusing exactly what sodium.from_base64 refuses. libsodium accepts only the
 * canonical spelling of some bytes (URL-safe alphabet, no padding, no whitespace, no lone final character, zero
 * unused bits); the runtime codecs are lenient (Node's Buffer even reads a non-ASCII character as its low byte), so
 * the decoded bytes are encoded again and must give back the very same text. Otherwise one ciphertext could travel
 * under several spellings, and a tampered field would decode where libsodium refuses it.
 */
export function fromBase64Url(sodium: Sodium, text: string): Uint8Array {
  let decoded: Uint8Array;
  const fromBase64 = native.fromBase64;
  if (fromBase64) {
    decoded = fromBase64(text, { alphabet: 'base64url', lastChunkHandling: 'loose' });
  } else if (nodeBuffer) {
    const buffer = nodeBuffer.from(text, 'base64url');
    // A view, not a Buffer: callers compare and store plain Uint8Arrays.
    decoded = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } else {
    return sodium.from_base64(text);
  }
  if (toBase64Url(sodium, decoded) !== text) throw new Error('invalid input');
  return decoded;
}

/**
 * Removes ISO/IEC 7816-4 padding as libsodium's sodium_unpad does, in the same branch-free way: every one of the
 * last blockSize bytes is read whatever the padding length, so the time taken does not depend on it. Returns a
 * view into `padded` (sodium.unpad copies the whole buffer into and out of the WebAssembly heap).
 */
export function unpadIso7816(padded: Uint8Array, blockSize: number): Uint8Array {
  if (!Number.isSafeInteger(blockSize) || blockSize <= 0) throw new Error('block size must be > 0');
  if (padded.length < blockSize) throw new Error('unsupported/invalid padding');
  const last = padded.length - 1;
  let seen = 0; // OR of the bytes read so far, from the end: zero while only padding zeros were read
  let padLength = 0;
  let valid = 0;
  for (let i = 0; i < blockSize; i += 1) {
    const c = padded[last - i]!;
    // 1 exactly when c is 0x80, every byte after it is zero and no barrier was found yet: bit 8 of each term is set only then.
    const isBarrier = (((seen - 1) & (padLength - 1) & ((c ^ 0x80) - 1)) >>> 8) & 1;
    seen |= c;
    padLength |= i & -isBarrier;
    valid |= isBarrier;
  }
  if (valid !== 1) throw new Error('unsupported/invalid padding');
  return padded.subarray(0, last - padLength);
}
