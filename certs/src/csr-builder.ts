// The node side of enrollment and renewal: a PKCS#10 request for the node's own key. forge lays
// out the request, Node crypto signs it, and the key's SubjectPublicKeyInfo is embedded as Node
// exports it (forge cannot encode EC keys). The challengePassword attribute carries the
// server-issued nonce that proves freshness when an expired certificate is renewed.
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import forge from 'node-forge';
import { asn1, bitString, embed, nul, OID, oid, seq, toDer, type Asn1 } from './asn1-encoding.ts';
import type { DnAttribute } from './certificate-builder.ts';
import { asFields, dnFields, pkiExtras } from './forge-extras.ts';
import { spkiDer } from './key-pairs.ts';
import { derToPem } from './pem.ts';
import { subjectFor } from './certificate-identity.ts';
import type { ExtendedKeyUsage, Profile } from './profiles.ts';

export interface CsrRequest {
  readonly privateKeyPem: string;
  readonly profile: Profile;
  readonly name: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly extKeyUsage?: readonly ExtendedKeyUsage[];
  readonly challengePassword?: string;
  /** Replaces the subject derived from profile and name (tests use it to forge bad requests). */
  readonly subject?: readonly DnAttribute[];
  /** Asks for CA:TRUE (only ever useful to prove the CA refuses it). */
  readonly requestCa?: boolean;
}

const PLACEHOLDER_KEY = forge.pki.setRsaPublicKey(
  new forge.jsbn.BigInteger('3'),
  new forge.jsbn.BigInteger('3'),
);

export function createCsr(request: CsrRequest): string {
  const privateKey = createPrivateKey(request.privateKeyPem);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = PLACEHOLDER_KEY;
  csr.setSubject(dnFields(request.subject ?? subjectFor(request.profile, request.name)));
  const extensions: object[] = [];
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  if (altNames.length > 0) extensions.push({ name: 'subjectAltName', altNames });
  if (request.extKeyUsage?.length) {
    extensions.push({
      name: 'extKeyUsage',
      ...Object.fromEntries(request.extKeyUsage.map((u) => [u, true])),
    });
  }
  if (request.requestCa) extensions.push({ name: 'basicConstraints', critical: true, cA: true });
  const attributes: object[] = [];
  if (request.challengePassword !== undefined) {
    attributes.push({
      name: 'challengePassword',
      value: request.challengePassword,
      valueTagClass: asn1.Type.UTF8,
    });
  }
  if (extensions.length > 0) attributes.push({ name: 'extensionRequest', extensions });
  csr.setAttributes(asFields(attributes));

  const info = pkiExtras.getCertificationRequestInfo(csr);
  (info.value as Asn1[])[2] = embed(spkiDer(createPublicKey(privateKey)));
  const infoDer = toDer(info);
  const ec = privateKey.asymmetricKeyType === 'ec';
  const algorithm = ec ? seq([oid(OID.ecdsaWithSha256)]) : seq([oid(OID.sha256WithRSAEncryption), nul()]);
  const signature = sign('sha256', infoDer, privateKey);
  return derToPem(toDer(seq([info, algorithm, bitString(signature)])), 'CERTIFICATE REQUEST');
}
