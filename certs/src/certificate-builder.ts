// Builds X.509 v3 certificates: forge lays out the TBSCertificate (names, validity, extensions)
// and Node crypto signs it. The subject key and the issuer name are embedded as the exact bytes
// Node and the issuer certificate carry: forge cannot encode EC keys, and a byte-identical issuer
// name is what chain building matches on.
import { X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import {
  bitString,
  contextImplicitPrimitive,
  embed,
  OID,
  octets,
  seq,
  sha256WithRsa,
  toDer,
  type Asn1,
} from './asn1-encoding.ts';
import { certificateSubjectDer } from './der-reader.ts';
import { dnFields, pkiExtras } from './forge-extras.ts';
import { keyIdentifier } from './key-identifier.ts';
import { spkiDer } from './key-pairs.ts';
import { derToPem } from './pem.ts';
import type { ExtendedKeyUsage } from './profiles.ts';
import { serialToDerIntegerBytes } from './serial-numbers.ts';
import { signSha256 } from './signer.ts';

export interface DnAttribute {
  readonly oid: string;
  readonly value: string;
}

export interface CertificateSpec {
  readonly serial: string;
  /** In encoding order; RFC 2253 renderings list them reversed. */
  readonly subject: readonly DnAttribute[];
  /** The issuer certificate's DER; absent for a self-signed root. */
  readonly issuerCertDer?: Buffer;
  readonly issuerPublicKey: KeyObject;
  readonly subjectPublicKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Present for CA certificates; pathLength undefined means unlimited. */
  readonly ca?: { readonly pathLength?: number };
  readonly extKeyUsage?: readonly ExtendedKeyUsage[];
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

export interface BuiltCertificate {
  readonly der: Buffer;
  readonly pem: string;
  readonly x509: X509Certificate;
}

const PLACEHOLDER_KEY = forge.pki.setRsaPublicKey(
  new forge.jsbn.BigInteger('3'),
  new forge.jsbn.BigInteger('3'),
);

export async function buildCertificate(
  spec: CertificateSpec,
  issuerPrivateKey: KeyObject,
): Promise<BuiltCertificate> {
  const cert = forge.pki.createCertificate();
  cert.serialNumber = serialToDerIntegerBytes(spec.serial).toString('hex');
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(dnFields(spec.subject));
  cert.setIssuer(dnFields(spec.subject)); // placeholder: replaced below by the issuer's exact name
  cert.publicKey = PLACEHOLDER_KEY;
  cert.setExtensions(extensionsFor(spec));
  cert.siginfo.algorithmOid = OID.sha256WithRSAEncryption;

  const tbs = pkiExtras.getTBSCertificate(cert);
  const fields = tbs.value as Asn1[];
  if (spec.issuerCertDer) fields[3] = embed(certificateSubjectDer(spec.issuerCertDer));
  fields[6] = embed(spkiDer(spec.subjectPublicKey));
  const tbsDer = toDer(tbs);
  const signature = await signSha256(tbsDer, issuerPrivateKey);
  const der = toDer(seq([tbs, sha256WithRsa(), bitString(signature)]));

  // Cheap self-check with Node's verifier: a builder bug must never leave the CA as a bad cert.
  const x509 = new X509Certificate(der);
  if (!x509.verify(spec.issuerPublicKey)) throw new Error('Freshly built certificate does not verify');
  return { der, pem: derToPem(der, 'CERTIFICATE'), x509 };
}

function extensionsFor(spec: CertificateSpec): object[] {
  const isCa = spec.ca !== undefined;
  const rsa = spec.subjectPublicKey.asymmetricKeyType === 'rsa';
  const extensions: object[] = [
    isCa
      ? { name: 'basicConstraints', critical: true, cA: true, ...pathLength(spec.ca?.pathLength) }
      : { name: 'basicConstraints', critical: true, cA: false },
    isCa
      ? { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true }
      : // TLS 1.3 only signs; keyEncipherment stays for RSA so older TLS stacks in tooling accept it.
        { name: 'keyUsage', critical: true, digitalSignature: true, keyEncipherment: rsa },
  ];
  if (spec.extKeyUsage && spec.extKeyUsage.length > 0) {
    extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(spec.extKeyUsage.map((u) => [u, true])) });
  }
  const altNames = [
    ...(spec.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(spec.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  extensions.push({ id: OID.subjectKeyIdentifier, value: octets(keyIdentifier(spec.subjectPublicKey)) });
  extensions.push({
    id: OID.authorityKeyIdentifier,
    value: seq([contextImplicitPrimitive(0, keyIdentifier(spec.issuerPublicKey))]),
  });
  return extensions;
}

const pathLength = (n: number | undefined) => (n === undefined ? {} : { pathLenConstraint: n });
