// The whole-file check before an upload becomes an asset: the partial file is decrypted once
// (every chunk tag, the last-chunk flag, no trailing bytes) and the plaintext is hashed and
// dropped as it streams; the ciphertext is hashed on the same pass for the asset row. This is
// also what makes a resumed upload trustworthy: whatever a crash left in the file, only a file
// that decrypts to exactly the declared bytes is kept.
import { createDecryptStream, type DataKey } from '@enclave/crypto';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Sha256Meter } from './byte-streams.ts';

export interface VerifiedFile {
  readonly plainBytes: number;
  readonly plainSha256: string;
  readonly cipherBytes: number;
  readonly cipherSha256: string;
}

export async function verifyEncryptedFile(path: string, key: DataKey): Promise<VerifiedFile> {
  const cipher = new Sha256Meter();
  const plain = createHash('sha256');
  let plainBytes = 0;
  await pipeline(
    createReadStream(path),
    cipher,
    createDecryptStream({
      resolveKey: (id) => (id === key.keyId ? Promise.resolve(key) : Promise.reject(new Error(`key ${id}`))),
    }),
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        plain.update(chunk);
        plainBytes += chunk.length;
        chunk.fill(0);
        callback();
      },
    }),
  );
  return {
    plainBytes,
    plainSha256: plain.digest('hex'),
    cipherBytes: cipher.bytes,
    cipherSha256: cipher.sha256,
  };
}
