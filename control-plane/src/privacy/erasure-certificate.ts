// The erasure certificate's signature, pure: the bytes the audit Ed25519 key signs and the
// check. Shared by the server (SubjectErasure) and the offline CLI (`enclave erasure verify`),
// which runs this file under Node's type stripping — so it imports only node:crypto, contracts
// and the (equally pure) receipt verifier, and uses erasable syntax only. Node receipts embedded
// in the certificate are checked too: each one's signature against its node certificate, and
// that certificate against the node CA the certificate names (`nodeIssuerPem`); pin that CA
// separately (`--node-ca`) to rule out a certificate built around a CA of its maker's own.
import {
  canonicalJson,
  ErasureCertificateSchema,
  type ErasureCertificate,
  type ErasureCertificateBody,
  type JsonValue,
} from '@enclave/contracts';
import { createPublicKey, verify } from 'node:crypto';
import { verifyEraseReceipt } from './erase-receipt.verifier.ts';

const CERTIFICATE_CONTEXT = 'enclave/erasure-certificate/v1\n';

export function certificateSigningBytes(body: ErasureCertificateBody): Buffer {
  return Buffer.from(CERTIFICATE_CONTEXT + canonicalJson(body as unknown as JsonValue), 'utf8');
}

export type CertificateCheck = { ok: true; certificate: ErasureCertificate } | { ok: false; reason: string };

/** Parses and checks a certificate file's text; `publicKeyPem` pins the key (else the file's). */
export function verifyErasureCertificate(
  text: string,
  publicKeyPem?: string,
  nodeIssuerPem?: string,
): CertificateCheck {
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
  if (!good) return { ok: false, reason: 'the signature does not match the certificate' };
  const receipts = checkNodeReceipts(certificate, nodeIssuerPem);
  return receipts === null ? { ok: true, certificate } : { ok: false, reason: receipts };
}

/** null when every node row is consistent and every embedded receipt verifies; else why not. */
function checkNodeReceipts(certificate: ErasureCertificate, pinnedIssuerPem?: string): string | null {
  const body = certificate.certificate;
  const rows = body.nodeReceipts ?? [];
  if (rows.length === 0) return null;
  const issuerPem = body.nodeIssuerPem;
  if (pinnedIssuerPem !== undefined && pinnedIssuerPem.trim() !== issuerPem?.trim())
    return 'the node receipts name another node CA than the one given';
  for (const row of rows) {
    if (row.status === 'pending') {
      if (row.receipt !== undefined) return `node ${row.nodeId}: a pending row carries a receipt`;
      continue;
    }
    if (row.receipt === undefined) return `node ${row.nodeId}: status ${row.status} without a receipt`;
    if (issuerPem === undefined) return 'node receipts are embedded but no node CA is named';
    if (row.receipt.orderId !== row.orderId)
      return `node ${row.nodeId}: the receipt answers order ${row.receipt.orderId}, not ${row.orderId}`;
    const check = verifyEraseReceipt({
      nodeId: row.nodeId,
      tenantId: body.tenantId,
      body: row.receipt,
      issuerPem,
    });
    if (!check.ok) return `node ${row.nodeId}: receipt refused: ${check.reason}`;
  }
  return null;
}
