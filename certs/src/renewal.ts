// Renewal keeps a node's identity and key and gives it a fresh certificate. In life, the control
// plane has already authenticated the node over mTLS with the current certificate. Past expiry
// (a GPU node switched off over a holiday) it is allowed within the grace window, only if not
// revoked, and only with a CSR that signs a fresh server nonce with the same key.
import { X509Certificate } from 'node:crypto';
import type { CaMaterial } from './ca-material.ts';
import { CertsError } from './certs-error.ts';
import { identityFromCertificate } from './certificate-identity.ts';
import { HOUR_MS, type Clock } from './clock.ts';
import { checkCsrIdentity, verifyCsrSignature } from './csr-intake.ts';
import { parseCsr } from './csr-parser.ts';
import type { IssuedCertificate } from './issued-certificate.ts';
import { checkLeafKeyStrength, sameKey } from './key-pairs.ts';
import type { LeafIssuer } from './leaf-issuer.ts';
import type { Profile } from './profiles.ts';
import type { RenewalChallenge, RenewalChallenges } from './renewal-challenges.ts';
import type { RevocationStore } from './revocation-store.ts';
import { normalizeSerial } from './serial-numbers.ts';

export interface RenewalRequest {
  /** The certificate the node holds now (from the TLS session, or sent along when expired). */
  readonly currentCertPem: string;
  readonly csrPem: string;
  readonly actor?: string;
}

export interface RenewalDeps {
  readonly material: CaMaterial;
  readonly issuer: LeafIssuer;
  readonly revocations: RevocationStore;
  readonly challenges: RenewalChallenges;
  readonly now: Clock;
  readonly graceMs: number;
  readonly lifetimeMs: (profile: Profile) => number;
}

export class Renewal {
  readonly #deps: RenewalDeps;

  constructor(deps: RenewalDeps) {
    this.#deps = deps;
  }

  /** A nonce for the expired-certificate path; ask for it, then put it in the CSR's challengePassword. */
  async challenge(currentCertPem: string): Promise<RenewalChallenge> {
    const current = this.#ourCertificate(currentCertPem);
    await this.#refuseIfRevoked(current);
    return this.#deps.challenges.issue(current.serialNumber);
  }

  async renew(request: RenewalRequest): Promise<IssuedCertificate> {
    const current = this.#ourCertificate(request.currentCertPem);
    const serial = normalizeSerial(current.serialNumber);
    await this.#refuseIfRevoked(current);
    const identity = identityFromCertificate(current);
    const csr = parseCsr(request.csrPem);
    verifyCsrSignature(csr);
    if (!sameKey(csr.publicKey, current.publicKey)) {
      throw new CertsError(
        'CSR_KEY_MISMATCH',
        'Renewal refused: the CSR is not signed with the key of the current certificate.',
      );
    }
    checkLeafKeyStrength(csr.publicKey);
    checkCsrIdentity(csr, identity);
    const overdueMs = this.#deps.now().getTime() - current.validToDate.getTime();
    if (overdueMs > 0) {
      if (overdueMs > this.#deps.graceMs) {
        throw new CertsError(
          'RENEWAL_GRACE_EXCEEDED',
          `Renewal refused: the certificate expired ${hours(overdueMs)} h ago, past the ${hours(this.#deps.graceMs)} h grace window; enroll again with a new token.`,
        );
      }
      if (csr.challengePassword === undefined) {
        throw new CertsError(
          'RENEWAL_CHALLENGE_REQUIRED',
          'The certificate has expired: ask for a renewal challenge and put it in the CSR challengePassword.',
        );
      }
      if (!this.#deps.challenges.consume(csr.challengePassword, serial)) {
        throw new CertsError(
          'RENEWAL_CHALLENGE_INVALID',
          'Renewal refused: the challenge is unknown, used, expired or for another certificate.',
        );
      }
    }
    return this.#deps.issuer.issue(identity, current.publicKey, {
      lifetimeMs: this.#deps.lifetimeMs(identity.profile),
      actor: request.actor ?? `renewal:${identity.principal}`,
      event: 'renewed',
      previousSerial: serial,
    });
  }

  #ourCertificate(pem: string): X509Certificate {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(pem);
    } catch (cause) {
      throw new CertsError('CERT_MALFORMED', 'The current certificate could not be read.', { cause });
    }
    const intermediate = this.#deps.material.intermediate.x509;
    if (!cert.checkIssued(intermediate) || !cert.verify(intermediate.publicKey)) {
      throw new CertsError('CERT_UNKNOWN_ISSUER', 'The current certificate was not issued by this CA.');
    }
    return cert;
  }

  async #refuseIfRevoked(cert: X509Certificate): Promise<void> {
    const revoked = await this.#deps.revocations.find(cert.serialNumber);
    if (revoked) {
      throw new CertsError(
        'CERT_REVOKED',
        `Renewal refused: certificate ${revoked.serial} of ${revoked.principal} was revoked (${revoked.reason}) at ${revoked.revokedAt}; enroll again with a new token.`,
      );
    }
  }
}

const hours = (ms: number): string => (ms / HOUR_MS).toFixed(1);
