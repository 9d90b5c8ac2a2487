// Pure rules: principals, names, EKUs, lifetimes, SAN requirements, serial spelling.
import { nodeIdFromPrincipal, nodePrincipal } from '@enclave/contracts';
import { describe, expect, it } from 'vitest';
import {
  extKeyUsageFor,
  parseProfile,
  principalFor,
  PROFILE_SPECS,
  resolveIdentity,
  subjectRfc2253,
} from '../src/index.ts';
import { DAY_MS, HOUR_MS } from '../src/clock.ts';
import { lifetimeMsFor } from '../src/profiles.ts';
import { normalizeSerial, serialToDerIntegerBytes } from '../src/serial-numbers.ts';

describe('principals (what Kafka sees after the mapping rule keeps the CN)', () => {
  it.each([
    ['control-plane', 'main', 'control-plane'],
    ['broker', '0', 'broker-0'],
    ['node', 'abc', 'node-abc'],
    ['operator', 'admin', 'operator-admin'],
  ] as const)('%s %s -> %s', (profile, name, principal) => {
    expect(principalFor(profile, name)).toBe(principal);
    expect(subjectRfc2253(profile, principal)).toBe(`CN=${principal},OU=${profile},O=Enclave`);
  });
});

it('node principals agree with @enclave/contracts (topics and ACLs use its rule)', () => {
  for (const id of ['abc', '0', 'gpu-01']) expect(principalFor('node', id)).toBe(nodePrincipal(id));
  expect(nodeIdFromPrincipal(principalFor('node', 'abc'))).toBe('abc');
});

describe('names', () => {
  it.each(['a', '0', 'gpu-01', 'a'.repeat(55)])('accepts %s', (name) => {
    expect(() => principalFor('node', name)).not.toThrow();
  });
  it.each(['', '-a', 'A', 'a_b', 'a.b', 'a'.repeat(56), 'ü'])('refuses %j', (name) => {
    expect(() => principalFor('node', name)).toThrow(
      expect.objectContaining({ code: 'INVALID_NAME' }) as Error,
    );
  });
});

describe('profiles', () => {
  it('unknown profile is one clear error', () => {
    expect(() => parseProfile('admin')).toThrow(
      'Unknown profile "admin": use one of control-plane, broker, node, operator.',
    );
  });

  it('EKUs: servers get both, node and operator client only, node serverAuth on request', () => {
    expect(extKeyUsageFor('broker')).toEqual(['serverAuth', 'clientAuth']);
    expect(extKeyUsageFor('control-plane')).toEqual(['serverAuth', 'clientAuth']);
    expect(extKeyUsageFor('node')).toEqual(['clientAuth']);
    expect(extKeyUsageFor('node', { serverAuth: true })).toEqual(['serverAuth', 'clientAuth']);
    expect(extKeyUsageFor('operator')).toEqual(['clientAuth']);
  });

  it('default lifetimes: node 24 h, operator 30 days, servers 90 days', () => {
    expect(PROFILE_SPECS.node.defaultLifetimeMs).toBe(24 * HOUR_MS);
    expect(PROFILE_SPECS.operator.defaultLifetimeMs).toBe(30 * DAY_MS);
    expect(PROFILE_SPECS.broker.defaultLifetimeMs).toBe(90 * DAY_MS);
    expect(PROFILE_SPECS['control-plane'].defaultLifetimeMs).toBe(90 * DAY_MS);
    expect(lifetimeMsFor('node', 6)).toBe(6 * HOUR_MS);
    expect(() => lifetimeMsFor('node', 0)).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }) as Error,
    );
    expect(() => lifetimeMsFor('node', 31 * 24)).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }) as Error,
    );
  });

  it('servers need a SAN; SAN values are validated', () => {
    expect(() => resolveIdentity({ profile: 'broker', name: '0' })).toThrow(
      expect.objectContaining({ code: 'SAN_REQUIRED' }) as Error,
    );
    expect(resolveIdentity({ profile: 'broker', name: '0', dnsNames: ['Kafka-0.Local'] }).dnsNames).toEqual([
      'kafka-0.local',
    ]);
    expect(() => resolveIdentity({ profile: 'node', name: 'a', dnsNames: ['bad name'] })).toThrow(
      /Invalid DNS name/,
    );
    expect(() => resolveIdentity({ profile: 'node', name: 'a', ipAddresses: ['300.1.1.1'] })).toThrow(
      /Invalid IP address/,
    );
    expect(resolveIdentity({ profile: 'node', name: 'a', ipAddresses: ['::1', '::1'] }).ipAddresses).toEqual([
      '::1',
    ]);
  });
});

describe('serials', () => {
  it('one spelling whichever tool printed it', () => {
    expect(normalizeSerial('0A:1B:2C')).toBe('0a1b2c');
    expect(normalizeSerial('00a1b2c3')).toBe('a1b2c3');
    expect(normalizeSerial('A1B2C')).toBe('0a1b2c');
    expect(normalizeSerial('0')).toBe('00');
    expect(() => normalizeSerial('xyz')).toThrow(
      expect.objectContaining({ code: 'INVALID_REQUEST' }) as Error,
    );
  });

  it('DER integer bytes stay positive', () => {
    expect(serialToDerIntegerBytes('ff01')).toEqual(Buffer.from([0, 0xff, 0x01]));
    expect(serialToDerIntegerBytes('7f01')).toEqual(Buffer.from([0x7f, 0x01]));
  });
});
