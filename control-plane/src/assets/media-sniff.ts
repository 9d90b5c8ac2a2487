// Is this upload what it says it is? The first bytes of each accepted media type have a known
// shape (a magic number, a container box, or plain UTF-8 text); a mismatch is a 415, so a file
// cannot pose as another kind on its way to the GPU nodes' decoders.
import type { UploadMediaType } from '@enclave/contracts';

/** How many leading bytes the check needs at most (fewer when the file is shorter). */
export const SNIFF_BYTES = 4096;

const ascii = (head: Buffer, at: number, text: string): boolean =>
  head.length >= at + text.length && head.toString('latin1', at, at + text.length) === text;

const ISO_BOXES = ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip'];

const RULES: Readonly<Record<UploadMediaType, (head: Buffer) => boolean>> = {
  'video/mp4': (h) => ascii(h, 4, 'ftyp'),
  'video/quicktime': (h) => ISO_BOXES.some((box) => ascii(h, 4, box)),
  'video/webm': (h) => h.length >= 4 && h.readUInt32BE(0) === 0x1a45dfa3,
  'image/jpeg': (h) => h.length >= 3 && h[0] === 0xff && h[1] === 0xd8 && h[2] === 0xff,
  'image/png': (h) =>
    h.length >= 8 && h.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'audio/wav': (h) => ascii(h, 0, 'RIFF') && ascii(h, 8, 'WAVE'),
  'audio/mpeg': (h) => ascii(h, 0, 'ID3') || (h.length >= 2 && h[0] === 0xff && (h[1]! & 0xe0) === 0xe0),
  'application/x-subrip': (h) =>
    isText(h) && /^\s*\d+\s*\r?\n\s*\d\d:\d\d:\d\d[,.]\d{1,3}\s*-->/.test(text(h)),
  'text/plain': (h) => isText(h),
};

export function matchesMediaType(mediaType: UploadMediaType, head: Buffer): boolean {
  return head.length > 0 && RULES[mediaType](head);
}

function text(head: Buffer): string {
  const bomless = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
  return bomless.toString('utf8');
}

/** UTF-8 without NUL or other binary control bytes; a sequence cut at the sniff boundary is fine. */
function isText(head: Buffer): boolean {
  for (const byte of head) {
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b) || byte === 0x7f) return false;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(trimPartial(head));
    return true;
  } catch {
    return false;
  }
}

/** Drops a multi-byte sequence left incomplete at the end of the sniffed bytes. */
function trimPartial(head: Buffer): Buffer {
  for (let back = 1; back <= 3 && back <= head.length; back++) {
    const byte = head[head.length - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? head.subarray(0, head.length - back) : head;
  }
  return head;
}
