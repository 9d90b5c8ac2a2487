// A tiny DER walker that returns exact byte slices. Signatures cover the bytes as received, so the
// to-be-signed part of a CSR, or a public key to compare, must never be re-encoded first (a lax
// encoder could make a forged structure verify). forge's parser is used for meaning; this is for
// bytes.
import { CertsError } from './certs-error.ts';

export interface Tlv {
  readonly tag: number;
  /** The whole element: tag, length and contents. */
  readonly bytes: Buffer;
  readonly contents: Buffer;
}

export function readTlv(buf: Buffer, offset = 0): Tlv & { end: number } {
  const fail = (why: string): never => {
    throw new CertsError('CERT_MALFORMED', `Malformed DER: ${why}.`);
  };
  const tag = buf[offset] ?? fail('truncated tag');
  if ((tag & 0x1f) === 0x1f) fail('multi-byte tags are not used here');
  const first = buf[offset + 1] ?? fail('truncated length');
  let length = first;
  let header = 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 4) fail('unsupported length form');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (buf[offset + 2 + i] ?? fail('truncated length'));
    if (length < 0x80 || (count > 1 && length < 1 << (8 * (count - 1)))) fail('non-minimal length');
    header += count;
  }
  const end = offset + header + length;
  if (end > buf.length) fail('length runs past the end');
  return { tag, bytes: buf.subarray(offset, end), contents: buf.subarray(offset + header, end), end };
}

/** The elements inside a constructed element (SEQUENCE, SET, [n]). */
export function childrenOf(element: Tlv): Tlv[] {
  if ((element.tag & 0x20) === 0)
    throw new CertsError('CERT_MALFORMED', 'Malformed DER: expected a constructed element.');
  const out: Tlv[] = [];
  let offset = 0;
  while (offset < element.contents.length) {
    const child = readTlv(element.contents, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** Parses a buffer holding exactly one element. */
export function readSingle(buf: Buffer): Tlv {
  const tlv = readTlv(buf, 0);
  if (tlv.end !== buf.length) throw new CertsError('CERT_MALFORMED', 'Malformed DER: trailing bytes.');
  return tlv;
}

/** The subject Name of a certificate, as the exact bytes it was signed with. */
export function certificateSubjectDer(certDer: Buffer): Buffer {
  const [tbs] = childrenOf(readSingle(certDer));
  if (!tbs) throw new CertsError('CERT_MALFORMED', 'Malformed certificate: no TBSCertificate.');
  const fields = childrenOf(tbs);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0; // v1 certificates have no explicit version
  const subject = fields[offset + 4];
  if (!subject) throw new CertsError('CERT_MALFORMED', 'Malformed certificate: no subject.');
  return subject.bytes;
}
