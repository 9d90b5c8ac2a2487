// The erasure certificate's signature, pure: the bytes the audit Ed25519 key signs and the
// check. Shared by the server (SubjectErasure) and the offline CLI (`enclave erasure verify`),
// which runs this file under Node's type stripping — so it imports only node:crypto and
// contracts, and uses erasable syntax only.
import {
  canonicalJson,
  ErasureCertificateSchema,
  type ErasureCertificate,
  type ErasureCertificateBody,
  type JsonValue,
} from '@enclave/contracts';
import { createPublicKey, verify } from 'node:crypto';

const CERTIFICATE_CONTEXT = 'enclave/erasure-certificate/v1\n';

export function certificateSigningBytes(body: ErasureCertificateBody): Buffer {
  return Buffer.from(CERTIFICATE_CONTEXT + canonicalJson(body as unknown as JsonValue), 'utf8');
}

export type CertificateCheck = { ok: true; certificate: ErasureCertificate } | { ok: false; reason: string };

/** Parses and checks a certificate file's text; `publicKeyPem` pins the key (else the file's). */
export function verifyErasureCertificate(text: string, publicKeyPem?: string): CertificateCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = ErasureCertificateSchema.safeParse(json);
  if (!parsed.success)
    return { ok: false, reason: `not an erasure certificate: ${parsed.error.issues[0]?.message}` };
  const certificate = parsed.data;
  if (publicKeyPem !== undefined && publicKeyPem.trim() !== certificate.publicKeyPem.trim()) {
    return { ok: false, reason: 'it is signed by another key than the one given' };
  }
  let good = false;
  try {
    good = verify(
      null,
      certificateSigningBytes(certificate.certificate),
      createPublicKey(publicKeyPem ?? certificate.publicKeyPem),
      Buffer.from(certificate.signature, 'base64url'),
    );
  } catch {
    good = false;
  }
  return good
    ? { ok: true, certificate }
    : { ok: false, reason: 'the signature does not match the certificate' };
}
