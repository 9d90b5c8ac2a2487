// RFC 5280 §5.3.1 CRLReason codes that make sense for this CA (certificateHold is left out: a
// hold cannot be lifted from a short-lived certificate in any useful way).
import { CertsError, quote } from './certs-error.ts';

export const REVOCATION_REASON_CODES = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  privilegeWithdrawn: 9,
} as const;

export type RevocationReason = keyof typeof REVOCATION_REASON_CODES;

export function parseRevocationReason(value: string): RevocationReason {
  if (!(value in REVOCATION_REASON_CODES)) {
    throw new CertsError(
      'INVALID_REQUEST',
      `Unknown revocation reason ${quote(value)}: use one of ${Object.keys(REVOCATION_REASON_CODES).join(', ')}.`,
    );
  }
  return value as RevocationReason;
}
