// The control plane's TLS material, read fresh on every (re)load so a renewed certificate on
// disk or a new CRL takes effect without a restart: its own key and chain from the configured
// files, the appliance root as the only trust anchor, and both CAs' CRLs (Node checks the
// whole chain, so the root's CRL must be there too).
import type { CertificateAuthority, TlsMaterial } from '@enclave/certs';
import { readFile } from 'node:fs/promises';
import type { ControlPlaneConfig } from '../config/control-plane.config.ts';

export async function loadTlsMaterial(
  config: ControlPlaneConfig,
  ca: CertificateAuthority,
): Promise<TlsMaterial> {
  const chainFile = config.ENCLAVE_TLS_CHAIN_FILE;
  return {
    keyPem: await readFile(config.ENCLAVE_TLS_KEY_FILE, 'utf8'),
    certPem: await readFile(config.ENCLAVE_TLS_CERT_FILE, 'utf8'),
    ...(chainFile !== undefined ? { chainPem: await readFile(chainFile, 'utf8') } : {}),
    caPem: ca.rootCertPem,
    crlPems: await ca.crlPems(),
  };
}

/** The API listener authenticates only itself: no client certificates, so no CA or CRL. */
export function withoutClientAuth(material: TlsMaterial): TlsMaterial {
  const { crlPems: _crls, ...rest } = material;
  return rest;
}
