// X.509 v2 CRLs (RFC 5280 §5), which forge cannot make: the structure is laid out with forge's
// asn1 module and signed with Node crypto by the issuing CA's key. The issuer name is copied
// byte for byte from the CA certificate, which is what CRL lookup in OpenSSL matches on.
import { X509Certificate, type KeyObject } from 'node:crypto';
import {
  bitString,
  contextExplicit,
  contextImplicitPrimitive,
  embed,
  enumerated,
  intBytes,
  OID,
  octets,
  oid,
  seq,
  sha256WithRsa,
  time,
  toDer,
  type Asn1,
} from './asn1-encoding.ts';
import { certificateSubjectDer } from './der-reader.ts';
import { keyIdentifier } from './key-identifier.ts';
import { derToPem } from './pem.ts';
import { REVOCATION_REASON_CODES, type RevocationReason } from './revocation-reasons.ts';
import { serialToDerIntegerBytes } from './serial-numbers.ts';
import { signSha256 } from './signer.ts';

export interface CrlEntry {
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: RevocationReason;
}

export interface CrlSpec {
  readonly issuerCertPem: string;
  readonly issuerKey: KeyObject;
  readonly crlNumber: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly entries: readonly CrlEntry[];
}

export async function buildCrl(spec: CrlSpec): Promise<string> {
  const issuer = new X509Certificate(spec.issuerCertPem);
  const fields: Asn1[] = [
    intBytes(Buffer.from([1])), // v2
    sha256WithRsa(),
    embed(certificateSubjectDer(issuer.raw)),
    time(spec.thisUpdate),
    time(spec.nextUpdate),
  ];
  // An empty revokedCertificates SEQUENCE is not allowed; the field is left out instead.
  if (spec.entries.length > 0) fields.push(seq(spec.entries.map(entryAsn1)));
  fields.push(
    contextExplicit(0, [
      seq([
        extension(
          OID.authorityKeyIdentifier,
          seq([contextImplicitPrimitive(0, keyIdentifier(issuer.publicKey))]),
        ),
        extension(OID.crlNumber, intBytes(positiveInteger(spec.crlNumber))),
      ]),
    ]),
  );
  const tbs = seq(fields);
  const tbsDer = toDer(tbs);
  const signature = await signSha256(tbsDer, spec.issuerKey);
  return derToPem(toDer(seq([tbs, sha256WithRsa(), bitString(signature)])), 'X509 CRL');
}

function entryAsn1(entry: CrlEntry): Asn1 {
  const fields = [intBytes(serialToDerIntegerBytes(entry.serial)), time(entry.revokedAt)];
  // RFC 5280 §5.3.1: leave the reason out rather than say "unspecified".
  if (entry.reason !== 'unspecified') {
    fields.push(seq([extension(OID.crlReason, enumerated(REVOCATION_REASON_CODES[entry.reason]))]));
  }
  return seq(fields);
}

function extension(id: string, value: Asn1): Asn1 {
  return seq([oid(id), octets(toDer(value))]);
}

function positiveInteger(n: number): Buffer {
  const hex = BigInt(n).toString(16);
  const bytes = Buffer.from(hex.length % 2 ? '0' + hex : hex, 'hex');
  return (bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}
