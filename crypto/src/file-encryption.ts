// Whole-file helpers for the asset store and the agent cache: stream a file through the format
// into a temp file and rename it into place, so a reader never sees a half-written object and
// a failed decryption leaves no partial plaintext on disk.
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { writeThroughTemp } from './atomic-file.ts';
import { createDecryptStream, type DecryptStreamOptions } from './decrypt-stream.ts';
import { createEncryptStream, type EncryptStreamOptions } from './encrypt-stream.ts';
import { CryptoError } from './errors.ts';
import { parseHeader, type FileHeader } from './file-header.ts';
import { MAX_KEY_ID_LENGTH, headerLength } from './stream-format.ts';

/** Large reads: fewer event-loop turns per chunk; the chunk size is at most this anyway. */
const READ_SIZE = 1 << 20;

export interface FileOutputOptions {
  /** Mode of the written file; default 0600 (owner only). */
  readonly mode?: number;
}

export async function encryptFile(
  source: string,
  destination: string,
  options: EncryptStreamOptions & FileOutputOptions,
): Promise<void> {
  await writeThroughTemp(destination, options.mode ?? 0o600, (temp) =>
    pipeline(
      createReadStream(source, { highWaterMark: READ_SIZE }),
      createEncryptStream(options),
      createWriteStream(temp),
    ),
  );
}

export async function decryptFile(
  source: string,
  destination: string,
  options: DecryptStreamOptions & FileOutputOptions,
): Promise<void> {
  await writeThroughTemp(destination, options.mode ?? 0o600, (temp) =>
    pipeline(
      createReadStream(source, { highWaterMark: READ_SIZE }),
      createDecryptStream(options),
      createWriteStream(temp),
    ),
  );
}

/** What a header says about a stored file: which key it needs, which chunk size. */
export type FileHeaderInfo = Pick<FileHeader, 'version' | 'alg' | 'chunkSize' | 'keyId'>;

/**
 * Parses the header of encrypted bytes without a key. Unauthenticated: good for finding which
 * key a file needs (e.g. to list what a DEK's destruction erases), not for trusting its fields.
 */
export function parseFileHeader(bytes: Uint8Array): FileHeaderInfo {
  const parsed = parseHeader(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  if ('needed' in parsed) {
    throw new CryptoError('TRUNCATED', `Only ${bytes.length} bytes: the header needs ${parsed.needed}.`);
  }
  const { version, alg, chunkSize, keyId } = parsed.header;
  return { version, alg, chunkSize, keyId };
}

export async function readFileHeader(path: string): Promise<FileHeaderInfo> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(headerLength(MAX_KEY_ID_LENGTH));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return parseFileHeader(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
