// forge functions that exist at runtime (node-forge 1.4) but are missing from @types/node-forge.
// Typed once here so the rest of the code stays free of casts.
import forge from 'node-forge';

interface PkiExtras {
  getTBSCertificate(cert: forge.pki.Certificate): forge.asn1.Asn1;
  getCertificationRequestInfo(csr: forge.pki.CertificateSigningRequest): forge.asn1.Asn1;
}

interface UtilExtras {
  /** Binary string of 4 or 16 bytes, or null for text that is not an address. */
  bytesFromIP(ip: string): string | null;
  bytesToIP(bytes: string): string | null;
}

export const pkiExtras = forge.pki as unknown as PkiExtras;
export const utilExtras = forge.util as unknown as UtilExtras;

/** forge's typings say a field's valueTagClass is an asn1.Class; at runtime it is an asn1.Type. */
export function dnFields(
  attributes: readonly { oid: string; value: string }[],
): forge.pki.CertificateField[] {
  const fields = attributes.map((a) => ({
    type: a.oid,
    value: a.value,
    valueTagClass: forge.asn1.Type.UTF8,
  }));
  return fields as unknown as forge.pki.CertificateField[];
}

export function asFields(values: readonly object[]): forge.pki.CertificateField[] {
  return values as unknown as forge.pki.CertificateField[];
}
