// Revocation has three effects, because Kafka has no CRL setting: renewal is refused (the
// revocation store), TLS servers that load the CRLs reject the certificate at once, and listeners
// run — the control plane attaches one that puts a Kafka DENY ACL on the principal.
import type { CaMaterial } from './ca-material.ts';
import { readTextIfExists, writeFileAtomic } from './atomic-file.ts';
import { BACKDATE_MS, INTERMEDIATE_CRL_VALIDITY_MS, ROOT_CRL_VALIDITY_MS } from './ca-ceremony.ts';
import { caPath } from './ca-layout.ts';
import { CertsError } from './certs-error.ts';
import { addMs, DAY_MS, type Clock } from './clock.ts';
import { buildCrl } from './crl-builder.ts';
import { readCrlInfo } from './crl-reader.ts';
import type { IssuanceLog, IssuanceLogEntry } from './issuance-log.ts';
import type { RevocationReason } from './revocation-reasons.ts';
import type { CrlIssuer, RevocationEntry, RevocationStore } from './revocation-store.ts';
import { assertName } from './profiles.ts';

export interface RevokeRequest {
  readonly serial?: string;
  readonly principal?: string;
  /** Shorthand for principal `node-<id>`. */
  readonly nodeId?: string;
  readonly reason?: RevocationReason;
  readonly actor?: string;
}

export interface RevocationEvent {
  readonly principal: string;
  readonly serials: readonly string[];
  readonly reason: RevocationReason;
  readonly actor: string;
  readonly revokedAt: Date;
  /** 'principal' when the whole identity was revoked (revoke by node), else 'serial'. */
  readonly scope: 'serial' | 'principal';
}

export type RevocationListener = (event: RevocationEvent) => void | Promise<void>;

/** Entries stay on the CRL a day past the certificate's expiry, then drop off (RFC 5280 §3.3). */
const CRL_RETENTION_AFTER_EXPIRY_MS = DAY_MS;

export class Revocation {
  readonly #material: CaMaterial;
  readonly #log: IssuanceLog;
  readonly #store: RevocationStore;
  readonly #now: Clock;
  readonly #listeners = new Set<RevocationListener>();

  constructor(deps: { material: CaMaterial; log: IssuanceLog; store: RevocationStore; now: Clock }) {
    this.#material = deps.material;
    this.#log = deps.log;
    this.#store = deps.store;
    this.#now = deps.now;
  }

  onRevoked(listener: RevocationListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Idempotent: revoking again records nothing new but runs the listeners again, so a Kafka ACL
   * that failed to apply the first time is retried by repeating the command.
   */
  async revoke(request: RevokeRequest): Promise<RevocationEntry[]> {
    const targets = await this.#targets(request);
    const revokedAt = this.#now();
    const reason = request.reason ?? 'unspecified';
    const actor = request.actor ?? 'operator';
    const fresh = await this.#store.add(
      targets.map((t) => ({
        serial: t.serial,
        principal: t.principal,
        reason,
        revokedAt: revokedAt.toISOString(),
        notAfter: t.notAfter,
        actor,
        issuer: 'intermediate' as const,
      })),
    );
    for (const entry of fresh) {
      const issued = targets.find((t) => t.serial === entry.serial);
      await this.#log.append({
        event: 'revoked',
        serial: entry.serial,
        subject: issued?.subject ?? '',
        principal: entry.principal,
        ...(issued?.profile !== undefined ? { profile: issued.profile } : {}),
        fingerprint256: issued?.fingerprint256 ?? '',
        notAfter: entry.notAfter,
        actor,
        at: entry.revokedAt,
        reason,
      });
    }
    await this.crlPem({ issuer: 'intermediate' }); // refresh the file servers reload from
    const scope = request.serial === undefined ? 'principal' : 'serial';
    await this.#notify(targets, { reason, actor, revokedAt, scope });
    return fresh;
  }

  /** A freshly signed CRL (and the CRL file in the CA directory is replaced with it). */
  async crlPem(options: { issuer: CrlIssuer }): Promise<string> {
    const { issuer } = options;
    const key = issuer === 'root' ? this.#material.rootKey : this.#material.intermediate.key;
    if (key === undefined) {
      const stored = await readTextIfExists(caPath(this.#material.dir, 'rootCrl'));
      if (stored !== undefined) return this.#unexpired(stored);
      throw new CertsError(
        'PASSPHRASE_REQUIRED',
        'Signing the root CRL needs the root key: give the CA passphrase.',
      );
    }
    const now = this.#now();
    const entries = (await this.#store.list(issuer)).filter(
      (e) => Date.parse(e.notAfter) + CRL_RETENTION_AFTER_EXPIRY_MS > now.getTime(),
    );
    const pem = await buildCrl({
      issuerCertPem: issuer === 'root' ? this.#material.root.pem : this.#material.intermediate.pem,
      issuerKey: key,
      crlNumber: await this.#store.nextCrlNumber(issuer),
      thisUpdate: addMs(now, -BACKDATE_MS), // a verifier whose clock lags must not see a CRL from the future
      nextUpdate: addMs(now, issuer === 'root' ? ROOT_CRL_VALIDITY_MS : INTERMEDIATE_CRL_VALIDITY_MS),
      entries: entries.map((e) => ({ serial: e.serial, revokedAt: new Date(e.revokedAt), reason: e.reason })),
    });
    await writeFileAtomic(caPath(this.#material.dir, issuer === 'root' ? 'rootCrl' : 'intermediateCrl'), pem);
    return pem;
  }

  /** An expired root CRL would make every TLS server refuse every client: say so instead. */
  #unexpired(pem: string): string {
    const { nextUpdate } = readCrlInfo(pem);
    if (nextUpdate.getTime() <= this.#now().getTime()) {
      throw new CertsError(
        'PASSPHRASE_REQUIRED',
        `The root CRL expired at ${nextUpdate.toISOString()}: re-sign it with \`enclave crl --issuer root --resign\` (needs the root key and passphrase).`,
      );
    }
    return pem;
  }

  async #targets(request: RevokeRequest): Promise<IssuanceLogEntry[]> {
    const given = [request.serial, request.principal, request.nodeId].filter((v) => v !== undefined);
    if (given.length !== 1) {
      throw new CertsError(
        'INVALID_REQUEST',
        'Revoke exactly one thing: a serial, a principal or a node id.',
      );
    }
    if (request.serial !== undefined) {
      const entry = await this.#log.findIssued(request.serial);
      if (!entry)
        throw new CertsError(
          'CERT_NOT_FOUND',
          `No certificate with serial ${request.serial} was issued by this CA.`,
        );
      if (entry.profile === 'root-ca' || entry.profile === 'intermediate-ca') {
        throw new CertsError(
          'INVALID_REQUEST',
          'Revoking a CA certificate is not supported here; see docs/operations.md.',
        );
      }
      return [entry];
    }
    const principal = request.principal ?? `node-${assertName(request.nodeId ?? '')}`;
    const entries = await this.#log.issuedTo(principal);
    if (entries.length === 0)
      throw new CertsError('CERT_NOT_FOUND', `No certificate was ever issued to ${principal}.`);
    return entries;
  }

  async #notify(
    targets: readonly IssuanceLogEntry[],
    common: Omit<RevocationEvent, 'principal' | 'serials'>,
  ): Promise<void> {
    const byPrincipal = Map.groupBy(targets, (t) => t.principal);
    const failures: string[] = [];
    for (const [principal, entries] of byPrincipal) {
      const event: RevocationEvent = { ...common, principal, serials: entries.map((e) => e.serial) };
      for (const listener of this.#listeners) {
        try {
          await listener(event);
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
    if (failures.length > 0) {
      throw new CertsError(
        'REVOCATION_LISTENER_FAILED',
        `The revocation is recorded and on the CRL, but ${failures.length} listener(s) failed (${failures.join('; ')}); run the revocation again to retry them.`,
      );
    }
  }
}
