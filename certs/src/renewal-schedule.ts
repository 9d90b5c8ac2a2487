// When an agent should renew: at about two thirds of the certificate's life, so a failed attempt
// leaves a third of the life to retry in, with jitter so a rack powered on together does not
// renew in one burst. Pure: the agent passes its clock and random source.
import { X509Certificate } from 'node:crypto';

/** Fraction of the lifetime at which renewal is due, before jitter. */
export const RENEWAL_FRACTION = 2 / 3;
/** Total jitter spread as a fraction of the lifetime (±5%). */
export const RENEWAL_JITTER = 0.1;

export interface Validity {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export function renewalDue(
  cert: Validity | X509Certificate | string,
  now: Date,
  rng: () => number = Math.random,
): Date {
  const { notBefore, notAfter } = validityOf(cert);
  const life = notAfter.getTime() - notBefore.getTime();
  const jitter = (Math.min(Math.max(rng(), 0), 1) - 0.5) * RENEWAL_JITTER;
  const due = notBefore.getTime() + life * (RENEWAL_FRACTION + jitter);
  return new Date(Math.max(due, now.getTime()));
}

function validityOf(cert: Validity | X509Certificate | string): Validity {
  if (typeof cert === 'string') cert = new X509Certificate(cert);
  if (cert instanceof X509Certificate) return { notBefore: cert.validFromDate, notAfter: cert.validToDate };
  return cert;
}
