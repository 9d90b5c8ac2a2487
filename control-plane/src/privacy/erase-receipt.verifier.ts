// Checks a node's erase receipt, pure: the signature over contracts' signing bytes, made by the
// key of the node certificate it carries, which the appliance's intermediate CA issued to that
// very node (profile `node`, name = the envelope's node id) and which was valid when the node
// says it finished. Revocation is the caller's (it needs the CA's store). Shared by the inbound
// handler and the offline `enclave erasure verify`, which runs it under Node's type stripping:
// node:crypto, contracts and certs only, erasable syntax only.
import { identityFromCertificate } from '@enclave/certs';
import { eraseReceiptSigningBytes, SignatureAlg, type EraseReceiptBody } from '@enclave/contracts';
import { constants, createHash, verify, X509Certificate, type KeyObject } from 'node:crypto';

export type ReceiptCheck = { ok: true; certificate: X509Certificate } | { ok: false; reason: string };

export interface ReceiptToCheck {
  nodeId: string;
  tenantId: string;
  body: EraseReceiptBody;
  /** The intermediate CA that issues node certificates (PEM). */
  issuerPem: string;
}

/** Which JOSE algorithms a key may have produced: `alg` must fit the certificate's key. */
function algFits(alg: SignatureAlg, key: KeyObject): boolean {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return alg === SignatureAlg.RS256 || alg === SignatureAlg.PS256;
    case 'ec':
      return alg === SignatureAlg.ES256 && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'ed25519':
      return alg === SignatureAlg.EdDSA;
    default:
      return false;
  }
}

function signatureHolds(alg: SignatureAlg, bytes: Buffer, key: KeyObject, signature: Buffer): boolean {
  switch (alg) {
    case SignatureAlg.RS256:
      return verify('sha256', bytes, key, signature);
    case SignatureAlg.PS256:
      return verify(
        'sha256',
        bytes,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        signature,
      );
    case SignatureAlg.ES256:
      return verify('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case SignatureAlg.EdDSA:
      return verify(null, bytes, key, signature);
    default:
      return false;
  }
}

export function verifyEraseReceipt(input: ReceiptToCheck): ReceiptCheck {
  const { body, nodeId } = input;
  const { signature } = body;
  if (signature.certificatePem === undefined)
    return { ok: false, reason: 'the receipt carries no node certificate' };
  let cert: X509Certificate;
  let issuer: X509Certificate;
  try {
    cert = new X509Certificate(signature.certificatePem);
    issuer = new X509Certificate(input.issuerPem);
  } catch {
    return { ok: false, reason: 'the node certificate (or the issuer) is not a readable certificate' };
  }
  if (createHash('sha256').update(cert.raw).digest('hex') !== signature.certSha256)
    return { ok: false, reason: 'certSha256 does not match the certificate carried' };
  if (!cert.checkIssued(issuer) || !cert.verify(issuer.publicKey))
    return { ok: false, reason: 'the certificate was not issued by this appliance’s node CA' };
  let identity;
  try {
    identity = identityFromCertificate(cert);
  } catch {
    return { ok: false, reason: 'the certificate carries no Enclave identity' };
  }
  if (identity.profile !== 'node' || identity.name !== nodeId)
    return {
      ok: false,
      reason: `the certificate is ${identity.profile} "${identity.name}", not node "${nodeId}"`,
    };
  const at = Date.parse(body.completedAt);
  if (at < Date.parse(cert.validFrom) || at > Date.parse(cert.validTo))
    return { ok: false, reason: 'the certificate was not valid at the receipt’s completedAt' };
  if (!algFits(signature.alg, cert.publicKey))
    return { ok: false, reason: `${signature.alg} does not fit the certificate’s key` };
  const { signature: _omitted, ...unsigned } = body;
  const bytes = eraseReceiptSigningBytes({ nodeId, tenantId: input.tenantId, body: unsigned });
  let good = false;
  try {
    good = signatureHolds(signature.alg, bytes, cert.publicKey, Buffer.from(signature.value, 'base64url'));
  } catch {
    good = false;
  }
  return good ? { ok: true, certificate: cert } : { ok: false, reason: 'the signature does not verify' };
}
