// What a leaf certificate asserts: who (profile, name, principal) and where it may be used (EKU,
// SANs). Built once from a trusted source (an operator's request or an enrollment record) and
// then stamped onto the certificate unchanged; a CSR never contributes to it.
import { isIP } from 'node:net';
import type { X509Certificate } from 'node:crypto';
import { OID } from './asn1-encoding.ts';
import type { DnAttribute } from './certificate-builder.ts';
import { CertsError, quote } from './certs-error.ts';
import {
  assertName,
  EKU_OIDS,
  extKeyUsageFor,
  isProfile,
  ORGANISATION,
  PROFILE_SPECS,
  principalFor,
  subjectRfc2253,
  type ExtendedKeyUsage,
  type Profile,
} from './profiles.ts';

export interface CertificateIdentity {
  readonly profile: Profile;
  readonly name: string;
  readonly principal: string;
  readonly extKeyUsage: readonly ExtendedKeyUsage[];
  readonly dnsNames: readonly string[];
  readonly ipAddresses: readonly string[];
}

export interface IdentityRequest {
  readonly profile: Profile;
  readonly name: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  /** Only meaningful for `node`: a node agent that serves something also needs serverAuth. */
  readonly serverAuth?: boolean;
}

const DNS_NAME =
  /^(?=.{1,253}$)(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function resolveIdentity(request: IdentityRequest): CertificateIdentity {
  if (!isProfile(request.profile)) {
    throw new CertsError('UNKNOWN_PROFILE', `Unknown profile ${quote(String(request.profile))}.`);
  }
  const name = assertName(request.name);
  const dnsNames = unique((request.dnsNames ?? []).map((n) => n.toLowerCase()));
  const ipAddresses = unique(request.ipAddresses ?? []);
  for (const dns of dnsNames) {
    if (!DNS_NAME.test(dns)) throw new CertsError('INVALID_REQUEST', `Invalid DNS name ${quote(dns)}.`);
  }
  for (const ip of ipAddresses) {
    if (isIP(ip) === 0) throw new CertsError('INVALID_REQUEST', `Invalid IP address ${quote(ip)}.`);
  }
  if (PROFILE_SPECS[request.profile].requiresSan && dnsNames.length + ipAddresses.length === 0) {
    throw new CertsError(
      'SAN_REQUIRED',
      `Profile ${request.profile} serves TLS and needs at least one DNS name or IP address (e.g. localhost, 127.0.0.1).`,
    );
  }
  return {
    profile: request.profile,
    name,
    principal: principalFor(request.profile, name),
    extKeyUsage: extKeyUsageFor(request.profile, { serverAuth: request.serverAuth === true }),
    dnsNames,
    ipAddresses,
  };
}

/** Reads the identity back from a certificate this CA issued (renewal keeps it unchanged). */
export function identityFromCertificate(cert: X509Certificate): CertificateIdentity {
  const rdns = new Map(cert.subject.split('\n').map((line) => splitOnce(line, '=')));
  const profile = rdns.get('OU');
  const principal = rdns.get('CN');
  if (!isProfile(profile) || principal === undefined) {
    throw new CertsError(
      'CERT_MALFORMED',
      'The certificate does not carry an Enclave identity (OU=<profile>, CN=<principal>).',
    );
  }
  const name = profile === 'control-plane' ? 'control-plane' : principal.slice(profile.length + 1);
  const ekuOids = cert.keyUsage ?? [];
  const extKeyUsage = (Object.keys(EKU_OIDS) as ExtendedKeyUsage[]).filter((u) =>
    ekuOids.includes(EKU_OIDS[u]),
  );
  const sans = (cert.subjectAltName ?? '').split(', ').filter((s) => s !== '');
  const identity = {
    profile,
    name,
    principal,
    extKeyUsage,
    dnsNames: sans.filter((s) => s.startsWith('DNS:')).map((s) => s.slice(4)),
    ipAddresses: sans.filter((s) => s.startsWith('IP Address:')).map((s) => s.slice(11)),
  };
  if (principalFor(profile, name) !== principal) {
    throw new CertsError(
      'CERT_MALFORMED',
      `Certificate principal ${quote(principal)} does not fit profile ${profile}.`,
    );
  }
  return identity;
}

/** Encoding order O, OU, CN: Java's RFC 2253 rendering (Kafka's view) is then CN=..,OU=..,O=Enclave. */
export function subjectFor(profile: Profile, name: string): DnAttribute[] {
  return [
    { oid: OID.organizationName, value: ORGANISATION },
    { oid: OID.organizationalUnitName, value: profile },
    { oid: OID.commonName, value: principalFor(profile, name) },
  ];
}

export function describeIdentity(identity: CertificateIdentity): string {
  return subjectRfc2253(identity.profile, identity.principal);
}

function splitOnce(line: string, separator: string): [string, string] {
  const at = line.indexOf(separator);
  return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
