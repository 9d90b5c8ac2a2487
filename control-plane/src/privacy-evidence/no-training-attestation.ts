// The no-training attestation's signature, pure: the bytes the audit Ed25519 key signs and the
// check. Shared by the server and the offline CLI (`enclave attestation verify`), which runs this
// file under Node's type stripping — so it imports only node:crypto and contracts, and uses
// erasable syntax only (the erasure certificate's pattern, privacy/erasure-certificate.ts).
import {
  canonicalJson,
  NoTrainingAttestationSchema,
  type JsonValue,
  type NoTrainingAttestation,
  type NoTrainingAttestationBody,
} from '@enclave/contracts';
import { createPublicKey, verify } from 'node:crypto';

const ATTESTATION_CONTEXT = 'enclave/no-training-attestation/v1\n';

export function attestationSigningBytes(body: NoTrainingAttestationBody): Buffer {
  return Buffer.from(ATTESTATION_CONTEXT + canonicalJson(body as unknown as JsonValue), 'utf8');
}

export type AttestationCheck =
  { ok: true; attestation: NoTrainingAttestation } | { ok: false; reason: string };

/** Parses and checks an attestation file's text; `publicKeyPem` pins the key (else the file's). */
export function verifyNoTrainingAttestation(text: string, publicKeyPem?: string): AttestationCheck {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const parsed = NoTrainingAttestationSchema.safeParse(json);
  if (!parsed.success)
    return { ok: false, reason: `not a no-training attestation: ${parsed.error.issues[0]?.message}` };
  const attestation = parsed.data;
  if (publicKeyPem !== undefined && publicKeyPem.trim() !== attestation.publicKeyPem.trim()) {
    return { ok: false, reason: 'it is signed by another key than the one given' };
  }
  let good = false;
  try {
    good = verify(
      null,
      attestationSigningBytes(attestation.attestation),
      createPublicKey(publicKeyPem ?? attestation.publicKeyPem),
      Buffer.from(attestation.signature, 'base64url'),
    );
  } catch {
    good = false;
  }
  return good
    ? { ok: true, attestation }
    : { ok: false, reason: 'the signature does not match the attestation' };
}
