// Thin typed helpers over forge's asn1 module, which works in "binary strings". Everything here
// only builds or reads structures; nothing signs or verifies (that is Node crypto's job).
import forge from 'node-forge';

const { asn1 } = forge;
export type Asn1 = forge.asn1.Asn1;

export const OID = {
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
  sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecdsaWithSha384: '1.2.840.10045.4.3.3',
  ecdsaWithSha512: '1.2.840.10045.4.3.4',
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  organizationalUnitName: '2.5.4.11',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlNumber: '2.5.29.20',
  crlReason: '2.5.29.21',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  challengePassword: '1.2.840.113549.1.9.7',
  extensionRequest: '1.2.840.113549.1.9.14',
  pbes2: '1.2.840.113549.1.5.13',
  scrypt: '1.3.6.1.4.1.11591.4.11',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
} as const;

export const bin = (buf: Buffer): string => buf.toString('binary');
export const buf = (binary: string): Buffer => Buffer.from(binary, 'binary');

export const toDer = (node: Asn1): Buffer => buf(asn1.toDer(node).getBytes());

/** Parses DER without forge's habit of guessing that BIT STRING contents are nested ASN.1. */
export function fromDer(der: Buffer): Asn1 {
  const parse = asn1.fromDer as unknown as (bytes: string, options: object) => Asn1;
  return parse(bin(der), { strict: true, parseAllBytes: true, decodeBitStrings: false });
}

const U = asn1.Class.UNIVERSAL;
const T = asn1.Type;

export const seq = (items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
export const set = (items: Asn1[]): Asn1 => asn1.create(U, T.SET, true, items);
export const oid = (id: string): Asn1 => asn1.create(U, T.OID, false, asn1.oidToDer(id).getBytes());
export const nul = (): Asn1 => asn1.create(U, T.NULL, false, '');
export const octets = (data: Buffer): Asn1 => asn1.create(U, T.OCTETSTRING, false, bin(data));
export const bitString = (data: Buffer): Asn1 => asn1.create(U, T.BITSTRING, false, '\u0000' + bin(data));
export const int = (n: number): Asn1 => asn1.create(U, T.INTEGER, false, asn1.integerToDer(n).getBytes());
export const intBytes = (bytes: Buffer): Asn1 => asn1.create(U, T.INTEGER, false, bin(bytes));
export const enumerated = (n: number): Asn1 =>
  asn1.create(U, T.ENUMERATED, false, asn1.integerToDer(n).getBytes());
export const utf8 = (text: string): Asn1 => asn1.create(U, T.UTF8, false, forge.util.encodeUtf8(text));
export const contextExplicit = (tag: number, items: Asn1[]): Asn1 =>
  asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items);
export const contextImplicitPrimitive = (tag: number, data: Buffer): Asn1 =>
  asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, bin(data));

/** RFC 5280: UTCTime through 2049, GeneralizedTime from 2050; both to the second, in UTC. */
export function time(date: Date): Asn1 {
  const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return whole.getUTCFullYear() < 2050
    ? asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(whole))
    : asn1.create(U, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(whole));
}

export const sha256WithRsa = (): Asn1 => seq([oid(OID.sha256WithRSAEncryption), nul()]);

/** Parses a raw element (from der-reader) back into forge's tree so it can be embedded verbatim. */
export const embed = (raw: Buffer): Asn1 => fromDer(raw);

export function readOid(node: Asn1): string {
  return asn1.derToOid(node.value as string);
}

export function children(node: Asn1): Asn1[] {
  return Array.isArray(node.value) ? node.value : [];
}

export { asn1 };
