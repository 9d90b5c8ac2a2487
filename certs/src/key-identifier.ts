// RFC 5280 §4.2.1.2 method 1: SHA-1 over the subjectPublicKey bits. Computed from Node's SPKI
// bytes so it works for EC keys too, which forge cannot represent.
import { createHash, type KeyObject } from 'node:crypto';
import { childrenOf, readSingle } from './der-reader.ts';
import { spkiDer } from './key-pairs.ts';

export function keyIdentifier(key: KeyObject): Buffer {
  const [, bits] = childrenOf(readSingle(spkiDer(key)));
  if (!bits) throw new Error('SubjectPublicKeyInfo without a key');
  return createHash('sha1').update(bits.contents.subarray(1)).digest();
}
