// First contact of a node: the operator makes a single-use token bound to one name and profile;
// the node sends a CSR with it; the CA checks the token, takes the identity from the record,
// only the key from the CSR, consumes the token and issues. Today's render farms let any host
// register (OpenCue) or trust a secret the worker picks itself (Flamenco); this is the fix.
import { CertsError, quote } from './certs-error.ts';
import { resolveIdentity } from './certificate-identity.ts';
import { HOUR_MS, addMs, type Clock } from './clock.ts';
import { intakeCsr } from './csr-intake.ts';
import type { EnrollmentRecord, EnrollmentTokenStore } from './enrollment-token-store.ts';
import {
  formatEnrollmentToken,
  hashTokenSecret,
  newTokenSecret,
  parseEnrollmentToken,
  secretHashesEqual,
} from './enrollment-tokens.ts';
import type { IssuedCertificate } from './issued-certificate.ts';
import type { LeafIssuer } from './leaf-issuer.ts';
import type { Profile } from './profiles.ts';
import type { RandomBytes } from './randomness.ts';

export const DEFAULT_TOKEN_TTL_HOURS = 24;
export const MAX_TOKEN_TTL_HOURS = 7 * 24;

export interface TokenRequest {
  readonly name: string;
  readonly profile?: Profile;
  readonly ttlHours?: number;
  readonly serverAuth?: boolean;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly actor?: string;
}

export interface CreatedToken {
  /** Shown once to the operator; only its hash is kept. */
  readonly token: string;
  readonly name: string;
  readonly profile: Profile;
  readonly principal: string;
  readonly expiresAt: Date;
}

export interface CsrEnrollment {
  readonly csrPem: string;
  readonly token: string;
  /** The node id the caller says it is (e.g. from the request path); must match the token's. */
  readonly nodeId?: string;
  readonly actor?: string;
}

export interface EnrollmentDeps {
  readonly issuer: LeafIssuer;
  readonly tokens: EnrollmentTokenStore;
  readonly now: Clock;
  readonly random: RandomBytes;
  readonly caPin: Buffer;
  readonly lifetimeMs: (profile: Profile) => number;
}

export class Enrollment {
  readonly #deps: EnrollmentDeps;

  constructor(deps: EnrollmentDeps) {
    this.#deps = deps;
  }

  async createToken(request: TokenRequest): Promise<CreatedToken> {
    const profile = request.profile ?? 'node';
    const identity = resolveIdentity({ ...request, profile });
    const ttlHours = request.ttlHours ?? DEFAULT_TOKEN_TTL_HOURS;
    if (!(ttlHours > 0 && ttlHours <= MAX_TOKEN_TTL_HOURS)) {
      throw new CertsError(
        'INVALID_REQUEST',
        `Token lifetime must be between 0 and ${MAX_TOKEN_TTL_HOURS} hours.`,
      );
    }
    const now = this.#deps.now();
    const secret = newTokenSecret(this.#deps.random);
    const expiresAt = addMs(now, ttlHours * HOUR_MS);
    await this.#deps.tokens.save({
      secretHash: hashTokenSecret(secret),
      name: identity.name,
      profile,
      serverAuth: request.serverAuth === true,
      dnsNames: identity.dnsNames,
      ipAddresses: identity.ipAddresses,
      createdAt: now.toISOString(),
      expiresAt: expiresAt.toISOString(),
      createdBy: request.actor ?? 'operator',
    });
    const token = formatEnrollmentToken({ name: identity.name, secret, caPin: this.#deps.caPin });
    return { token, name: identity.name, profile, principal: identity.principal, expiresAt };
  }

  async issueFromCsr(request: CsrEnrollment): Promise<IssuedCertificate> {
    const { record, secretHash } = await this.#redeemable(request);
    const identity = resolveIdentity(record);
    const { publicKey } = intakeCsr(request.csrPem, identity);
    // Consumed only after the CSR passed: a node with a typo in its request can try again.
    if (!(await this.#deps.tokens.consume(secretHash, this.#deps.now().toISOString()))) {
      throw new CertsError(
        'TOKEN_USED',
        'This enrollment token has already been used; ask the operator for a new one.',
      );
    }
    return this.#deps.issuer.issue(identity, publicKey, {
      lifetimeMs: this.#deps.lifetimeMs(identity.profile),
      actor: request.actor ?? `enrollment:${identity.principal}`,
      event: 'issued',
    });
  }

  async #redeemable(request: CsrEnrollment): Promise<{ record: EnrollmentRecord; secretHash: string }> {
    const token = parseEnrollmentToken(request.token);
    if (!token.caPin.equals(this.#deps.caPin)) {
      throw new CertsError('TOKEN_UNKNOWN', 'This enrollment token was made for another CA.');
    }
    const secretHash = hashTokenSecret(token.secret);
    const record = await this.#deps.tokens.find(secretHash);
    // The lookup is by hash; the constant-time comparison guards stores that match loosely.
    if (!record || !secretHashesEqual(record.secretHash, secretHash)) {
      throw new CertsError('TOKEN_UNKNOWN', 'Unknown enrollment token.');
    }
    if (record.usedAt !== undefined) {
      throw new CertsError(
        'TOKEN_USED',
        `This enrollment token was already used at ${record.usedAt}; ask for a new one.`,
      );
    }
    if (this.#deps.now().getTime() >= Date.parse(record.expiresAt)) {
      throw new CertsError(
        'TOKEN_EXPIRED',
        `This enrollment token expired at ${record.expiresAt}; ask for a new one.`,
      );
    }
    for (const claimed of [token.name, request.nodeId]) {
      if (claimed !== undefined && claimed !== record.name) {
        throw new CertsError(
          'TOKEN_NODE_MISMATCH',
          `This enrollment token is bound to node ${quote(record.name)}, not ${quote(claimed)}.`,
        );
      }
    }
    return { record, secretHash };
  }
}
