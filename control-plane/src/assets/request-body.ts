// A raw request body as a stream of its own. The request itself is never handed to a pipeline:
// a refused upload (413, 415) destroys the pipeline's streams, and destroying the request would
// cut the connection before the error reply could be sent. Node discards what is left unread
// once the reply is finished.
import { ContractError, ErrorCode, type UploadMediaType, UPLOAD_MEDIA_TYPES } from '@enclave/contracts';
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import { tooLarge } from './byte-streams.ts';

export function requestBody(req: IncomingMessage): Readable {
  const body = new PassThrough();
  const aborted = (): void => {
    if (!req.complete) body.destroy(new Error('The client aborted the upload.'));
  };
  req.on('close', aborted);
  req.on('error', (error) => body.destroy(error));
  req.pipe(body);
  return body;
}

/** The media type of Content-Type without parameters, lower-cased; undefined when absent. */
export function declaredType(req: IncomingMessage): string | undefined {
  const header = req.headers['content-type'];
  if (header === undefined || header.trim() === '') return undefined;
  return header.split(';')[0]!.trim().toLowerCase();
}

export function uploadMediaType(req: IncomingMessage): UploadMediaType {
  const type = declaredType(req);
  if (type === undefined || !(UPLOAD_MEDIA_TYPES as readonly string[]).includes(type)) {
    throw new ContractError(
      ErrorCode.UNSUPPORTED_MEDIA_TYPE,
      `${type === undefined ? 'No Content-Type was sent' : `Content-Type ${JSON.stringify(type.slice(0, 80))} is not accepted`}; ` +
        `send the file's type, one of: ${UPLOAD_MEDIA_TYPES.join(', ')}.`,
    );
  }
  return type as UploadMediaType;
}

/** 413 at once when the declared length is over the limit (the body is not read at all). */
export function checkDeclaredLength(req: IncomingMessage, limit: number): void {
  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > limit) throw tooLarge(limit);
}
