// Revocation state: which serials are revoked and the last CRL number per issuing CA. The
// control plane implements this over SQLite later; the file version serves the CLI and tests.
import type { RevocationReason } from './revocation-reasons.ts';

export type CrlIssuer = 'intermediate' | 'root';

export interface RevocationEntry {
  readonly serial: string;
  readonly principal: string;
  readonly reason: RevocationReason;
  readonly revokedAt: string;
  /** Kept so the CRL can drop entries once the certificate has expired anyway. */
  readonly notAfter: string;
  readonly actor: string;
  /** Which CA's CRL lists it: leaves are on the intermediate's, intermediates on the root's. */
  readonly issuer: CrlIssuer;
}

export interface RevocationStore {
  /** Records entries; serials already revoked are left as they were. Returns the new ones. */
  add(entries: readonly RevocationEntry[]): Promise<RevocationEntry[]>;
  find(serial: string): Promise<RevocationEntry | undefined>;
  list(issuer: CrlIssuer): Promise<RevocationEntry[]>;
  /** Strictly increasing per issuer (RFC 5280 §5.2.3), also across processes. */
  nextCrlNumber(issuer: CrlIssuer): Promise<number>;
}
