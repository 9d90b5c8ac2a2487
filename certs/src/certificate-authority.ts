// The CA as the rest of Enclave sees it: one object per CA directory that issues, enrolls,
// renews and revokes. It wires the pieces together and holds no logic of its own; stores are
// injectable so the control plane can put tokens, the log and revocations in SQLite.
import { X509Certificate, type KeyObject } from 'node:crypto';
import { pathExists } from './atomic-file.ts';
import { performCaCeremony } from './ca-ceremony.ts';
import { caPath } from './ca-layout.ts';
import { loadCaMaterial, type CaMaterial } from './ca-material.ts';
import { resolveIdentity } from './certificate-identity.ts';
import { HOUR_MS, systemClock, type Clock } from './clock.ts';
import { Enrollment, type CreatedToken, type CsrEnrollment, type TokenRequest } from './enrollment.ts';
import type { EnrollmentTokenStore } from './enrollment-token-store.ts';
import { FileEnrollmentTokenStore } from './file-enrollment-token-store.ts';
import { FileIssuanceLog } from './file-issuance-log.ts';
import { FileRevocationStore } from './file-revocation-store.ts';
import { findBrokenLink, type IssuanceLog } from './issuance-log.ts';
import type { IssuedCertificate } from './issued-certificate.ts';
import {
  checkLeafKeyStrength,
  generateLeafKeyPair,
  loadPublicKey,
  privateKeyPem,
  type LeafKeyType,
} from './key-pairs.ts';
import { LeafIssuer } from './leaf-issuer.ts';
import { lifetimeMsFor, parseProfile, PROFILE_SPECS, type Profile } from './profiles.ts';
import { cryptoRandomBytes, type RandomBytes } from './randomness.ts';
import { RenewalChallenges, type RenewalChallenge } from './renewal-challenges.ts';
import { Renewal, type RenewalRequest } from './renewal.ts';
import { Revocation, type RevocationListener, type RevokeRequest } from './revocation.ts';
import type { CrlIssuer, RevocationEntry, RevocationStore } from './revocation-store.ts';
import { normalizeSerial } from './serial-numbers.ts';

export interface CaStores {
  readonly log?: IssuanceLog;
  readonly revocations?: RevocationStore;
  readonly tokens?: EnrollmentTokenStore;
}

export interface CaOptions {
  readonly now?: Clock;
  readonly random?: RandomBytes;
  readonly stores?: CaStores;
  /** How long past expiry a node may still renew with proof of possession (default 7 days). */
  readonly graceHours?: number;
  /** Default lifetime of node certificates (default 24 h). */
  readonly nodeLifetimeHours?: number;
  /** Recorded in the issuance log when a call does not name one. */
  readonly actor?: string;
}

export interface IssueRequest {
  readonly profile: Profile;
  readonly name: string;
  readonly dnsNames?: string[];
  readonly ipAddresses?: string[];
  readonly lifetimeHours?: number;
  /** When absent the CA generates the key pair and returns keyPem. */
  readonly publicKeyPem?: string;
  readonly actor?: string;
  /** Adds serverAuth to a node certificate (for an agent that serves something). */
  readonly serverAuth?: boolean;
  readonly keyType?: LeafKeyType;
}

export interface CertificateStatus {
  readonly serial: string;
  readonly principal: string;
  readonly profile: string;
  readonly subject: string;
  readonly notAfter: string;
  readonly issuedAt: string;
  readonly event: 'issued' | 'renewed';
  readonly status: 'valid' | 'expired' | 'revoked';
}

export const DEFAULT_GRACE_HOURS = 7 * 24;

export class CertificateAuthority {
  readonly rootCertPem: string;
  readonly intermediateCertPem: string;
  /** base64url SHA-256 of the root's public key, as carried in enrollment tokens. */
  readonly caPin: string;
  readonly dir: string;
  readonly #now: Clock;
  readonly #stores: Required<CaStores>;
  readonly #issuer: LeafIssuer;
  readonly #enrollment: Enrollment;
  readonly #renewal: Renewal;
  readonly #revocation: Revocation;
  readonly #actor: string;
  readonly #nodeLifetimeMs: number;

  private constructor(material: CaMaterial, stores: Required<CaStores>, options: CaOptions) {
    this.rootCertPem = material.root.pem;
    this.intermediateCertPem = material.intermediate.pem;
    this.caPin = material.meta.caPin;
    this.dir = material.dir;
    this.#now = options.now ?? systemClock;
    this.#stores = stores;
    this.#actor = options.actor ?? 'operator';
    this.#nodeLifetimeMs = lifetimeMsFor('node', options.nodeLifetimeHours);
    const random = options.random ?? cryptoRandomBytes;
    const lifetimeMs = (profile: Profile) =>
      profile === 'node' ? this.#nodeLifetimeMs : PROFILE_SPECS[profile].defaultLifetimeMs;
    this.#issuer = new LeafIssuer({ material, log: stores.log, now: this.#now, random });
    this.#enrollment = new Enrollment({
      issuer: this.#issuer,
      tokens: stores.tokens,
      now: this.#now,
      random,
      caPin: Buffer.from(material.meta.caPin, 'base64url'),
      lifetimeMs,
    });
    this.#renewal = new Renewal({
      material,
      issuer: this.#issuer,
      revocations: stores.revocations,
      challenges: new RenewalChallenges(this.#now, random),
      now: this.#now,
      graceMs: (options.graceHours ?? DEFAULT_GRACE_HOURS) * HOUR_MS,
      lifetimeMs,
    });
    this.#revocation = new Revocation({
      material,
      log: stores.log,
      store: stores.revocations,
      now: this.#now,
    });
  }

  static async init(opts: { dir: string; passphrase: string } & CaOptions): Promise<CertificateAuthority> {
    const stores = defaultStores(opts.dir, opts.stores);
    const material = await performCaCeremony({
      dir: opts.dir,
      passphrase: opts.passphrase,
      now: opts.now ?? systemClock,
      random: opts.random ?? cryptoRandomBytes,
      actor: opts.actor ?? 'operator',
      log: stores.log,
      revocations: stores.revocations,
    });
    return new CertificateAuthority(material, stores, opts);
  }

  /** The passphrase is needed only for root operations (signing the root CRL). */
  static async open(opts: { dir: string; passphrase?: string } & CaOptions): Promise<CertificateAuthority> {
    const material = await loadCaMaterial(opts.dir, opts.passphrase);
    return new CertificateAuthority(material, defaultStores(opts.dir, opts.stores), opts);
  }

  static async exists(dir: string): Promise<boolean> {
    return pathExists(caPath(dir, 'meta'));
  }

  async issue(request: IssueRequest): Promise<IssuedCertificate> {
    const profile = parseProfile(request.profile);
    const identity = resolveIdentity({ ...request, profile });
    const lifetimeMs =
      request.lifetimeHours === undefined && profile === 'node'
        ? this.#nodeLifetimeMs
        : lifetimeMsFor(profile, request.lifetimeHours);
    let keyPem: string | undefined;
    let publicKey: KeyObject;
    if (request.publicKeyPem !== undefined) {
      publicKey = loadPublicKey(request.publicKeyPem);
      checkLeafKeyStrength(publicKey);
    } else {
      const pair = await generateLeafKeyPair(request.keyType);
      publicKey = pair.publicKey;
      keyPem = privateKeyPem(pair.privateKey);
    }
    const issued = await this.#issuer.issue(identity, publicKey, {
      lifetimeMs,
      actor: request.actor ?? this.#actor,
      event: 'issued',
    });
    return keyPem === undefined ? issued : { ...issued, keyPem };
  }

  createEnrollmentToken(request: TokenRequest): Promise<CreatedToken> {
    return this.#enrollment.createToken({ ...request, actor: request.actor ?? this.#actor });
  }

  issueFromCsr(request: CsrEnrollment): Promise<IssuedCertificate> {
    return this.#enrollment.issueFromCsr(request);
  }

  renewalChallenge(currentCertPem: string): Promise<RenewalChallenge> {
    return this.#renewal.challenge(currentCertPem);
  }

  renew(request: RenewalRequest): Promise<IssuedCertificate> {
    return this.#renewal.renew(request);
  }

  revoke(request: RevokeRequest): Promise<RevocationEntry[]> {
    return this.#revocation.revoke({ ...request, actor: request.actor ?? this.#actor });
  }

  onRevoked(listener: RevocationListener): () => void {
    return this.#revocation.onRevoked(listener);
  }

  /** A v2 CRL signed by the chosen CA. The root one needs the passphrase, else the stored copy is returned. */
  crlPem(options: { issuer: CrlIssuer } = { issuer: 'intermediate' }): Promise<string> {
    return this.#revocation.crlPem(options);
  }

  /** What a TLS server's `crl` option needs: Node checks the whole chain, so both CAs' CRLs. */
  async crlPems(): Promise<string[]> {
    return [await this.crlPem({ issuer: 'intermediate' }), await this.crlPem({ issuer: 'root' })];
  }

  async isRevoked(serialOrCertPem: string): Promise<boolean> {
    const serial = serialOrCertPem.includes('BEGIN CERTIFICATE')
      ? new X509Certificate(serialOrCertPem).serialNumber
      : serialOrCertPem;
    return (await this.#stores.revocations.find(normalizeSerial(serial))) !== undefined;
  }

  /** Every leaf the CA issued or renewed, with its status now. */
  async listCertificates(): Promise<CertificateStatus[]> {
    const now = this.#now().getTime();
    const entries = await this.#stores.log.entries();
    const revoked = new Set(entries.filter((e) => e.event === 'revoked').map((e) => e.serial));
    return entries
      .filter((e) => e.event !== 'revoked' && e.profile !== 'root-ca' && e.profile !== 'intermediate-ca')
      .map((e) => ({
        serial: e.serial,
        principal: e.principal,
        profile: e.profile ?? '',
        subject: e.subject,
        notAfter: e.notAfter,
        issuedAt: e.at,
        event: e.event as 'issued' | 'renewed',
        status: revoked.has(e.serial) ? 'revoked' : Date.parse(e.notAfter) <= now ? 'expired' : 'valid',
      }));
  }

  /** Sequence number of the first tampered issuance-log entry, or undefined when the chain is intact. */
  async verifyIssuanceLog(): Promise<number | undefined> {
    return findBrokenLink(await this.#stores.log.entries());
  }
}

function defaultStores(dir: string, stores: CaStores = {}): Required<CaStores> {
  return {
    log: stores.log ?? new FileIssuanceLog(caPath(dir, 'issuanceLog')),
    revocations: stores.revocations ?? new FileRevocationStore(caPath(dir, 'revocations')),
    tokens: stores.tokens ?? new FileEnrollmentTokenStore(caPath(dir, 'tokens')),
  };
}
