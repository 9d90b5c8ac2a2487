// Receiving one piece of a resumable upload: the bytes are cut into the encryption format's
// chunks as they arrive, each sealed under its position in the whole file and written where it
// belongs in the partial file. Plaintext is only ever in memory, one chunk at a time.
//
// Why re-sending is safe: a chunk's nonce is fixed by its index, so a piece retried after a
// lost reply seals the same indexes again. Identical bytes give identical ciphertext (nothing
// leaks), but different bytes under the same nonce would break AES-GCM. So wherever the file
// already holds bytes of an earlier, uncounted attempt, the new ciphertext must equal them;
// otherwise the piece is refused (409) and nothing is overwritten.
import { ContractError, ErrorCode, type UploadMediaType } from '@enclave/contracts';
import { TAG_LENGTH, type ChunkWriter } from '@enclave/crypto';
import { matchesMediaType, SNIFF_BYTES } from './media-sniff.ts';
import type { PartialFile } from './partial-file.ts';

export interface PieceTarget {
  readonly writer: ChunkWriter;
  readonly file: PartialFile;
  /** Plaintext offset the piece starts at: a multiple of the writer's chunk size. */
  readonly offset: number;
  /** Exact plaintext length the piece must have. */
  readonly length: number;
  /** Declared size of the whole file (decides which chunk is the last). */
  readonly size: number;
  /** Checked against the first bytes when the piece starts the file. */
  readonly mediaType: UploadMediaType;
}

export async function receivePiece(body: AsyncIterable<Buffer>, target: PieceTarget): Promise<void> {
  const { writer, file, offset, length, size } = target;
  const chunkSize = writer.chunkSize;
  const lastIndex = Math.max(1, Math.ceil(size / chunkSize)) - 1;
  const onDisk = await file.size();
  let index = offset / chunkSize;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let received = 0;

  const seal = async (): Promise<void> => {
    if (index === 0) sniff(pending, target.mediaType);
    const sealed = Buffer.concat(writer.seal(index, index === lastIndex, pending));
    const position = writer.header.length + index * (chunkSize + TAG_LENGTH);
    if (position < onDisk) {
      const earlier = await file.read(position, Math.min(sealed.length, onDisk - position));
      if (!earlier.equals(sealed.subarray(0, earlier.length))) throw contentChanged(offset);
    }
    await file.write(sealed, position);
    index += 1;
    pending = [];
    pendingBytes = 0;
  };

  for await (const chunk of body) {
    received += chunk.length;
    if (received > length) throw wrongLength(length, 'more');
    let rest = chunk;
    while (rest.length > 0) {
      const take = Math.min(chunkSize - pendingBytes, rest.length);
      pending.push(rest.subarray(0, take));
      pendingBytes += take;
      rest = rest.subarray(take);
      if (pendingBytes === chunkSize) await seal();
    }
  }
  if (received < length) throw wrongLength(length, 'fewer');
  // Only the piece that ends the file can leave a short chunk: the file's last one.
  if (pendingBytes > 0) await seal();
}

function sniff(pieces: readonly Buffer[], mediaType: UploadMediaType): void {
  const head = Buffer.concat(pieces).subarray(0, SNIFF_BYTES);
  if (!matchesMediaType(mediaType, head)) {
    throw new ContractError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `The file's first bytes are not those of ${mediaType}, the type this upload declared; start a new upload with the right contentType.`,
    );
  }
}

function wrongLength(length: number, what: 'more' | 'fewer'): ContractError {
  return new ContractError(
    ErrorCode.VALIDATION_FAILED,
    `This piece carried ${what} bytes than expected: it must be exactly ${length} bytes (chunkSize, or size - offset for the last piece). Nothing of it was counted; send it again.`,
    [{ path: 'body', message: `must be exactly ${length} bytes` }],
  );
}

function contentChanged(offset: number): ContractError {
  return new ContractError(
    ErrorCode.CONFLICT,
    `These bytes differ from the ones this upload already received from offset ${offset}: the file changed since the upload began. Abort this upload and start a new one.`,
    [{ path: 'body', message: 'differs from the bytes already received at this offset' }],
  );
}
