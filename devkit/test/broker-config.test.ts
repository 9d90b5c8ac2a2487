import { describe, expect, it } from 'vitest';
import { newClusterId, principalMappingRule, renderServerProperties } from '../src/kafka/broker-config.ts';

const properties = renderServerProperties({
  host: '127.0.0.1',
  ports: { client: 19093, controller: 19094, broker: 19095 },
  dataDir: '/data',
  keystorePemFile: '/tls/keystore.pem',
  truststorePemFile: '/tls/ca.pem',
  superUsers: ['broker-0', 'control-plane'],
});

function settings(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.indexOf('=');
    map.set(line.slice(0, at), line.slice(at + 1));
  }
  return map;
}

describe('broker configuration', () => {
  const s = settings(properties);

  it('maps every listener to SSL and none to PLAINTEXT', () => {
    const map = s.get('listener.security.protocol.map') ?? '';
    expect(map.split(',').map((entry) => entry.split(':')[1])).toEqual(['SSL', 'SSL', 'SSL']);
    expect(properties).not.toMatch(/PLAINTEXT|SASL/);
  });

  it('requires client certificates and TLS 1.3 on each listener', () => {
    expect(s.get('ssl.enabled.protocols')).toBe('TLSv1.3');
    for (const listener of ['client', 'broker', 'controller']) {
      expect(s.get(`listener.name.${listener}.ssl.client.auth`)).toBe('required');
      expect(s.get(`listener.name.${listener}.ssl.keystore.type`)).toBe('PEM');
    }
  });

  it('denies whatever no ACL allows', () => {
    expect(s.get('authorizer.class.name')).toBe('org.apache.kafka.metadata.authorizer.StandardAuthorizer');
    expect(s.get('allow.everyone.if.no.acl.found')).toBe('false');
    expect(s.get('super.users')).toBe('User:broker-0;User:control-plane');
    expect(s.get('auto.create.topics.enable')).toBe('false');
  });

  it('maps only the appliance DN shape to a principal', () => {
    const [, pattern = ''] = /^RULE:(.*)\/\$1\/$/.exec(principalMappingRule) ?? [];
    const re = new RegExp(pattern);
    expect('CN=node-gpu01,OU=node,O=Enclave'.replace(re, '$1')).toBe('node-gpu01');
    expect('CN=control-plane,OU=control-plane,O=Enclave'.replace(re, '$1')).toBe('control-plane');
    expect(re.test('CN=node-gpu01,OU=node,O=Other')).toBe(false);
    expect(re.test('CN=evil,OU=admin,O=Enclave')).toBe(false);
    expect(re.test('O=Enclave,CN=node-x')).toBe(false);
  });

  it('makes cluster ids of 22 base64url characters', () => {
    const id = newClusterId((n) => Buffer.alloc(n, 0xab));
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
