// Signs erase receipts with the node's own key (the one its certificate binds; generated on the
// node, never sent), so the control plane — or anyone holding the appliance CA, years later —
// can tell the node itself vouched for the erasure. The files are read per signature, so a
// renewed certificate is used at once.
import { createHash, sign, X509Certificate, type KeyObject, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  eraseReceiptSigningBytes,
  SignatureAlg,
  type EraseReceiptBody,
  type ReceiptSignature,
} from '@enclave/contracts';

export interface ReceiptSigner {
  sign(input: {
    nodeId: string;
    tenantId: string;
    body: Omit<EraseReceiptBody, 'signature'>;
  }): Promise<ReceiptSignature>;
}

/** The JOSE name for a key: RS256 for RSA, ES256 for P-256, EdDSA for Ed25519. */
export function signatureAlgFor(key: KeyObject): SignatureAlg {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return SignatureAlg.RS256;
    case 'ec':
      if (key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
        throw new Error(`EC curve ${String(key.asymmetricKeyDetails?.namedCurve)} has no receipt algorithm`);
      return SignatureAlg.ES256;
    case 'ed25519':
      return SignatureAlg.EdDSA;
    default:
      throw new Error(`a ${String(key.asymmetricKeyType)} key cannot sign erase receipts`);
  }
}

/** Signs `bytes` the way `alg` says (ES256 in the JOSE r||s form, not DER). */
export function signBytes(alg: SignatureAlg, bytes: Buffer, key: KeyObject): Buffer {
  switch (alg) {
    case SignatureAlg.RS256:
      return sign('sha256', bytes, key);
    case SignatureAlg.ES256:
      return sign('sha256', bytes, { key, dsaEncoding: 'ieee-p1363' });
    case SignatureAlg.EdDSA:
      return sign(null, bytes, key);
    default:
      throw new Error(`the agent does not sign with ${alg}`);
  }
}

export class NodeKeyReceiptSigner implements ReceiptSigner {
  readonly #keyFile: string;
  readonly #certFile: string;

  constructor(files: { keyFile: string; certFile: string }) {
    this.#keyFile = files.keyFile;
    this.#certFile = files.certFile;
  }

  async sign(input: {
    nodeId: string;
    tenantId: string;
    body: Omit<EraseReceiptBody, 'signature'>;
  }): Promise<ReceiptSignature> {
    const key = createPrivateKey(await readFile(this.#keyFile, 'utf8'));
    const certificatePem = (await readFile(this.#certFile, 'utf8')).trim() + '\n';
    const cert = new X509Certificate(certificatePem);
    const alg = signatureAlgFor(key);
    const value = signBytes(alg, eraseReceiptSigningBytes(input), key).toString('base64url');
    return {
      alg,
      certSha256: createHash('sha256').update(cert.raw).digest('hex'),
      value,
      certificatePem: cert.toString(),
    };
  }
}
