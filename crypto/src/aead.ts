// Single-shot AES-256-GCM for small values (wrapped keys, fields): random 96-bit IV, 128-bit
// tag. Random IVs are safe here because each key seals far fewer than 2^32 values; big data
// goes through the chunked file format, which derives a fresh key per file instead.
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { RandomBytes } from './seams.ts';

export const IV_LENGTH = 12;
export const GCM_TAG_LENGTH = 16;

export interface SealedBox {
  readonly iv: Buffer;
  readonly ct: Buffer;
  readonly tag: Buffer;
}

export function aeadSeal(key: Buffer, plaintext: Buffer, aad: Buffer, random: RandomBytes): SealedBox {
  const iv = random(IV_LENGTH);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_LENGTH });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ct, tag: cipher.getAuthTag() };
}

/** The plaintext, or undefined when the tag does not verify (no unverified bytes escape). */
export function aeadOpen(key: Buffer, box: SealedBox, aad: Buffer): Buffer | undefined {
  if (box.iv.length !== IV_LENGTH || box.tag.length !== GCM_TAG_LENGTH) return undefined;
  const decipher = createDecipheriv('aes-256-gcm', key, box.iv, { authTagLength: GCM_TAG_LENGTH });
  decipher.setAAD(aad);
  decipher.setAuthTag(box.tag);
  const plaintext = decipher.update(box.ct);
  try {
    decipher.final();
  } catch {
    plaintext.fill(0);
    return undefined;
  }
  return plaintext;
}

/** Length-free AAD: parts joined by NUL. Callers only pass parts that cannot contain NUL. */
export function joinAad(parts: readonly string[]): Buffer {
  return Buffer.from(parts.join('\0'), 'utf8');
}
