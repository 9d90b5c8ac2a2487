// The four kinds of identity the appliance issues. Everything that differs per kind (principal,
// extended key usages, whether a SAN is required, default lifetime) is decided here and nowhere
// else, so the enrollment record, the issued certificate and Kafka's principal mapping agree.
import { NODE_ID_PATTERN } from '@enclave/contracts';
import { CertsError, quote } from './certs-error.ts';
import { DAY_MS, HOUR_MS } from './clock.ts';

export type Profile = 'control-plane' | 'broker' | 'node' | 'operator';

export const PROFILES: readonly Profile[] = ['control-plane', 'broker', 'node', 'operator'];

export type ExtendedKeyUsage = 'serverAuth' | 'clientAuth';

export const EKU_OIDS: Readonly<Record<ExtendedKeyUsage, string>> = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

export interface ProfileSpec {
  /** Extended key usages before options; a node may add serverAuth when it serves something. */
  readonly extKeyUsage: readonly ExtendedKeyUsage[];
  /** Servers must be reachable by name or address, so the issuer refuses them without a SAN. */
  readonly requiresSan: boolean;
  readonly defaultLifetimeMs: number;
  /** The upper bound a caller may ask for; short node lives are the point of the design. */
  readonly maxLifetimeMs: number;
}

export const PROFILE_SPECS: Readonly<Record<Profile, ProfileSpec>> = {
  'control-plane': {
    extKeyUsage: ['serverAuth', 'clientAuth'],
    requiresSan: true,
    defaultLifetimeMs: 90 * DAY_MS,
    maxLifetimeMs: 397 * DAY_MS,
  },
  broker: {
    extKeyUsage: ['serverAuth', 'clientAuth'],
    requiresSan: true,
    defaultLifetimeMs: 90 * DAY_MS,
    maxLifetimeMs: 397 * DAY_MS,
  },
  node: {
    extKeyUsage: ['clientAuth'],
    requiresSan: false,
    defaultLifetimeMs: 24 * HOUR_MS,
    maxLifetimeMs: 30 * DAY_MS,
  },
  operator: {
    extKeyUsage: ['clientAuth'],
    requiresSan: false,
    defaultLifetimeMs: 30 * DAY_MS,
    maxLifetimeMs: 397 * DAY_MS,
  },
};

/** The organisation every leaf carries; Kafka's mapping rule matches on it. */
export const ORGANISATION = 'Enclave';

/** The contracts' node-id rule for every name: a DNS label, valid in a CN and in a topic name. */
export const NAME_PATTERN: RegExp = NODE_ID_PATTERN;

/**
 * For the broker's `ssl.principal.mapping.rules`: keeps the CN of an Enclave leaf as the Kafka
 * principal (`User:node-abc`). No DEFAULT rule on purpose: a DN of any other shape then fails
 * authentication instead of becoming a principal nobody wrote ACLs for.
 */
export const KAFKA_PRINCIPAL_MAPPING_RULES =
  'RULE:^CN=([a-z0-9][a-z0-9-]*),OU=(control-plane|broker|node|operator),O=Enclave$/$1/';

export function isProfile(value: unknown): value is Profile {
  return typeof value === 'string' && (PROFILES as readonly string[]).includes(value);
}

export function parseProfile(value: string): Profile {
  if (!isProfile(value)) {
    throw new CertsError(
      'UNKNOWN_PROFILE',
      `Unknown profile ${quote(value)}: use one of ${PROFILES.join(', ')}.`,
    );
  }
  return value;
}

export function assertName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new CertsError(
      'INVALID_NAME',
      `Invalid name ${quote(name)}: use 1-55 lower-case letters, digits or hyphens, not starting with a hyphen.`,
    );
  }
  return name;
}

/**
 * The principal Kafka sees after `ssl.principal.mapping.rules` keeps the CN: `control-plane`,
 * `broker-<n>`, `node-<id>`, `operator-<name>`. The control plane is one service, so its name
 * is not part of the principal.
 */
export function principalFor(profile: Profile, name: string): string {
  assertName(name);
  return profile === 'control-plane' ? 'control-plane' : `${profile}-${name}`;
}

export function extKeyUsageFor(profile: Profile, options: { serverAuth?: boolean } = {}): ExtendedKeyUsage[] {
  const base = [...PROFILE_SPECS[profile].extKeyUsage];
  if (options.serverAuth && !base.includes('serverAuth')) base.unshift('serverAuth');
  return base;
}

/** RFC 2253 order, as Java renders it for Kafka: the CN first although it is encoded last. */
export function subjectRfc2253(profile: Profile, principal: string): string {
  return `CN=${principal},OU=${profile},O=${ORGANISATION}`;
}

export function lifetimeMsFor(profile: Profile, lifetimeHours?: number): number {
  const spec = PROFILE_SPECS[profile];
  if (lifetimeHours === undefined) return spec.defaultLifetimeMs;
  const ms = lifetimeHours * HOUR_MS;
  if (!Number.isFinite(ms) || ms <= 0 || ms > spec.maxLifetimeMs) {
    throw new CertsError(
      'INVALID_REQUEST',
      `Lifetime ${lifetimeHours} h is out of range for profile ${profile} (0 < hours <= ${spec.maxLifetimeMs / HOUR_MS}).`,
    );
  }
  return ms;
}
