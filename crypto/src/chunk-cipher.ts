// Sealing and opening one chunk. Both take the chunk as a list of buffers (slices of whatever
// the stream received) and feed them to the cipher as they are, so no chunk is ever copied into
// one contiguous buffer first: that would be one more pass over every byte.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { ChunkNonce } from './chunk-nonce.ts';
import type { FileKeys } from './key-derivation.ts';
import { TAG_LENGTH } from './stream-format.ts';

const CIPHER = 'aes-256-gcm';
const GCM_OPTIONS = { authTagLength: TAG_LENGTH };

export class ChunkSealer {
  readonly #key: Buffer;
  readonly #nonce: ChunkNonce;
  readonly #aad: Buffer;

  constructor(keys: FileKeys, header: Buffer) {
    this.#key = keys.fileKey;
    this.#nonce = new ChunkNonce(keys.noncePrefix);
    this.#aad = header;
  }

  /** Ciphertext pieces of chunk `index`, the 16-byte tag last. */
  seal(index: number, last: boolean, plaintext: readonly Buffer[]): Buffer[] {
    const cipher = createCipheriv(CIPHER, this.#key, this.#nonce.at(index, last), GCM_OPTIONS);
    cipher.setAAD(this.#aad);
    const out: Buffer[] = [];
    for (const piece of plaintext) {
      if (piece.length > 0) out.push(cipher.update(piece));
    }
    cipher.final(); // GCM is a stream mode: final() emits no bytes, it computes the tag
    out.push(cipher.getAuthTag());
    return out;
  }
}

export class ChunkOpener {
  readonly #key: Buffer;
  readonly #nonce: ChunkNonce;
  readonly #aad: Buffer;

  constructor(keys: FileKeys, header: Buffer) {
    this.#key = keys.fileKey;
    this.#nonce = new ChunkNonce(keys.noncePrefix);
    this.#aad = header;
  }

  /**
   * The plaintext of chunk `index`, or undefined when its tag does not verify. The pieces are
   * returned only after final() has checked the tag, so the caller can never see plaintext of
   * a forged chunk.
   */
  open(index: number, last: boolean, ciphertext: readonly Buffer[], tag: Buffer): Buffer[] | undefined {
    const decipher = createDecipheriv(CIPHER, this.#key, this.#nonce.at(index, last), GCM_OPTIONS);
    decipher.setAAD(this.#aad);
    decipher.setAuthTag(tag);
    const out: Buffer[] = [];
    for (const piece of ciphertext) {
      if (piece.length > 0) out.push(decipher.update(piece));
    }
    try {
      decipher.final();
    } catch {
      // OpenSSL says only "unable to authenticate data"; the caller knows which chunk it was.
      for (const piece of out) piece.fill(0);
      return undefined;
    }
    return out;
  }
}
