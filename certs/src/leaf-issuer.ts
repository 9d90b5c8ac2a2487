// Signs leaf certificates with the intermediate and records each one in the issuance log before
// handing it out, so no certificate exists that the log does not know about.
import type { KeyObject } from 'node:crypto';
import { BACKDATE_MS } from './ca-ceremony.ts';
import type { CaMaterial } from './ca-material.ts';
import { buildCertificate } from './certificate-builder.ts';
import { describeIdentity, subjectFor, type CertificateIdentity } from './certificate-identity.ts';
import { addMs, type Clock } from './clock.ts';
import type { IssuanceLog } from './issuance-log.ts';
import type { IssuedCertificate } from './issued-certificate.ts';
import { randomSerial, type RandomBytes } from './randomness.ts';
import { normalizeSerial } from './serial-numbers.ts';

export interface LeafIssueOptions {
  readonly lifetimeMs: number;
  readonly actor: string;
  readonly event: 'issued' | 'renewed';
  readonly previousSerial?: string;
}

export class LeafIssuer {
  readonly #material: CaMaterial;
  readonly #log: IssuanceLog;
  readonly #now: Clock;
  readonly #random: RandomBytes;

  constructor(deps: { material: CaMaterial; log: IssuanceLog; now: Clock; random: RandomBytes }) {
    this.#material = deps.material;
    this.#log = deps.log;
    this.#now = deps.now;
    this.#random = deps.random;
  }

  async issue(
    identity: CertificateIdentity,
    publicKey: KeyObject,
    options: LeafIssueOptions,
  ): Promise<IssuedCertificate> {
    const { root, intermediate } = this.#material;
    const issuedAt = this.#now();
    // A leaf never outlives its issuer: past that date the chain would not verify anyway.
    const notAfter = new Date(
      Math.min(addMs(issuedAt, options.lifetimeMs).getTime(), intermediate.x509.validToDate.getTime()),
    );
    const built = await buildCertificate(
      {
        serial: randomSerial(this.#random),
        subject: subjectFor(identity.profile, identity.name),
        issuerCertDer: intermediate.x509.raw,
        issuerPublicKey: intermediate.x509.publicKey,
        subjectPublicKey: publicKey,
        notBefore: addMs(issuedAt, -BACKDATE_MS),
        notAfter,
        extKeyUsage: identity.extKeyUsage,
        dnsNames: identity.dnsNames,
        ipAddresses: identity.ipAddresses,
      },
      intermediate.key,
    );
    const issued: IssuedCertificate = {
      certPem: built.pem,
      chainPem: built.pem + intermediate.pem,
      caPem: root.pem,
      serial: normalizeSerial(built.x509.serialNumber),
      fingerprint256: built.x509.fingerprint256,
      notBefore: built.x509.validFromDate,
      notAfter: built.x509.validToDate,
      principal: identity.principal,
      profile: identity.profile,
      subject: describeIdentity(identity),
    };
    await this.#log.append({
      event: options.event,
      serial: issued.serial,
      subject: issued.subject,
      principal: issued.principal,
      profile: issued.profile,
      fingerprint256: issued.fingerprint256,
      notAfter: issued.notAfter.toISOString(),
      actor: options.actor,
      at: issuedAt.toISOString(),
      ...(options.previousSerial !== undefined
        ? { previousSerial: normalizeSerial(options.previousSerial) }
        : {}),
    });
    return issued;
  }
}
