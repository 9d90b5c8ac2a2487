// The acceptance matrix for mutual TLS 1.3: a valid client certificate is accepted; no
// certificate, another CA's, an expired one, a revoked one (CRLs loaded) and TLS 1.2 are each
// refused. Every case runs three ways: Node server + Node client, Node server + openssl s_client,
// openssl s_server + Node client. The expected refusal reason is asserted, so a case cannot pass
// for the wrong reason (e.g. "revoked" refused only because the chain was broken).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type tls from 'node:tls';
import {
  clientTlsOptions,
  serverTlsOptions,
  type IssuedCertificate,
  type TlsMaterial,
} from '../src/index.ts';
import { DAY_MS } from '../src/clock.ts';
import { createTestCa, frozenClock, tempDir, type TestCa } from './support/test-ca.ts';
import { openssl, pemFiles, startOpensslServer, type OpensslServer } from './support/openssl.ts';
import { probe, startNodeServer } from './support/tls-probe.ts';

type Case = 'valid' | 'no-cert' | 'other-ca' | 'expired' | 'revoked' | 'tls12';

let home: TestCa;
let other: TestCa;
let server: IssuedCertificate;
let clients: Record<'valid' | 'other-ca' | 'expired' | 'revoked', IssuedCertificate>;
let crlPems: string[];
let files: Record<string, string>;

const material = (issued: IssuedCertificate, caPem = home.ca.rootCertPem): TlsMaterial => ({
  keyPem: issued.keyPem!,
  certPem: issued.certPem,
  chainPem: issued.chainPem,
  caPem,
});

/** Node client options for each case; all of them trust the home root for the server's certificate. */
function nodeClient(c: Case): tls.ConnectionOptions {
  switch (c) {
    case 'valid':
    case 'expired':
    case 'revoked':
      return clientTlsOptions(material(clients[c]));
    case 'other-ca':
      return clientTlsOptions(material(clients['other-ca'], home.ca.rootCertPem));
    case 'no-cert':
      return { ca: home.ca.rootCertPem, minVersion: 'TLSv1.3' };
    case 'tls12':
      return { ...clientTlsOptions(material(clients.valid)), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' };
  }
}

/** The same cases as openssl s_client arguments. */
function sClientArgs(c: Case): string[] {
  const version = c === 'tls12' ? '-tls1_2' : '-tls1_3';
  const cert = (name: string) => [
    '-cert',
    files[`${name}Cert`]!,
    '-key',
    files[`${name}Key`]!,
    '-cert_chain',
    files[`${name}Chain`]!,
  ];
  const identity: Record<Case, string[]> = {
    valid: cert('valid'),
    'no-cert': [],
    'other-ca': cert('other'),
    expired: cert('expired'),
    revoked: cert('revoked'),
    tls12: cert('valid'),
  };
  return [version, ...identity[c]];
}

type Refused = Exclude<Case, 'valid'>;

/**
 * What a refused Node client sees. A Node server judges the client certificate in JS after the
 * handshake and just closes the socket (no alert) for other-ca/expired/revoked, so there the
 * reason is proven by the control tests at the end; openssl s_server sends the precise alert.
 */
const FROM_NODE_SERVER: Record<Refused, string | undefined> = {
  'no-cert': 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  tls12: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'other-ca': undefined,
  expired: undefined,
  revoked: undefined,
};
const FROM_OPENSSL_SERVER: Record<Refused, string> = {
  'no-cert': 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED',
  tls12: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION',
  'other-ca': 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA',
  expired: 'ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_EXPIRED',
  revoked: 'ERR_SSL_SSL/TLS_ALERT_CERTIFICATE_REVOKED',
};
const S_CLIENT_SEES: Record<Refused, RegExp> = {
  'no-cert': /certificate required/,
  tls12: /protocol version/,
  'other-ca': /unexpected eof/,
  expired: /unexpected eof/,
  revoked: /unexpected eof/,
};
const REFUSED = Object.keys(FROM_OPENSSL_SERVER) as Refused[];

beforeAll(async () => {
  [home, other] = await Promise.all([createTestCa(), createTestCa()]);
  const past = await home.reopen({ now: frozenClock(new Date(Date.now() - 30 * DAY_MS)) });
  [server, clients] = await Promise.all([
    home.ca.issue({ profile: 'broker', name: '0', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] }),
    (async () => ({
      valid: await home.ca.issue({ profile: 'node', name: 'good' }),
      'other-ca': await other.ca.issue({ profile: 'node', name: 'good' }),
      expired: await past.issue({ profile: 'node', name: 'old', lifetimeHours: 1 }),
      revoked: await home.ca.issue({ profile: 'node', name: 'bad' }),
    }))(),
  ]);
  await home.ca.revoke({ serial: clients.revoked.serial, reason: 'keyCompromise' });
  crlPems = await home.ca.crlPems();
  const dir = await tempDir();
  const pems: Record<string, string> = {
    root: home.ca.rootCertPem,
    intermediate: home.ca.intermediateCertPem,
    serverCert: server.certPem,
    serverKey: server.keyPem!,
    trustWithCrls: home.ca.rootCertPem + crlPems.join(''),
  };
  for (const [name, issued] of [
    ['valid', clients.valid],
    ['other', clients['other-ca']],
    ['expired', clients.expired],
    ['revoked', clients.revoked],
  ] as const) {
    pems[`${name}Cert`] = issued.certPem;
    pems[`${name}Key`] = issued.keyPem!;
    pems[`${name}Chain`] = issued.chainPem.slice(issued.certPem.length); // the intermediate
  }
  files = await pemFiles(dir, pems);
});

afterAll(async () => {
  await Promise.all([home?.cleanup(), other?.cleanup()]);
});

describe('Node tls server (serverTlsOptions with both CRLs)', () => {
  let node: Awaited<ReturnType<typeof startNodeServer>>;
  beforeAll(async () => {
    node = await startNodeServer(serverTlsOptions({ ...material(server), crlPems }));
  });
  afterAll(() => node.close());

  it('accepts a valid client certificate (Node client) and sees its principal', async () => {
    const result = await probe(node.port, nodeClient('valid'));
    expect(result.accepted).toBe(true);
    expect(result.data).toContain('hello node-good');
  });

  it.each(REFUSED)('refuses %s (Node client)', async (c) => {
    const result = await probe(node.port, nodeClient(c));
    expect(result.accepted).toBe(false);
    expect(result.data).toBe('');
    if (FROM_NODE_SERVER[c] !== undefined) expect(result.error).toBe(FROM_NODE_SERVER[c]);
  });

  it('accepts a valid client certificate (openssl s_client)', async () => {
    const result = await sClient(node.port, 'valid');
    expect(result.stdout).toContain('hello node-good');
  });

  it.each(REFUSED)('refuses %s (openssl s_client)', async (c) => {
    const result = await sClient(node.port, c);
    expect(result.stdout).not.toContain('hello');
    expect(result.stderr).toMatch(S_CLIENT_SEES[c]);
  });
});

describe('openssl s_server (TLS 1.3 only, client certificate required, CRLs of both CAs)', () => {
  let sserver: OpensslServer;
  beforeAll(async () => {
    sserver = await startOpensslServer([
      '-tls1_3',
      '-cert',
      files['serverCert']!,
      '-cert_chain',
      files['intermediate']!,
      '-key',
      files['serverKey']!,
      '-CAfile',
      files['trustWithCrls']!,
      '-Verify',
      '2',
      '-verify_return_error',
      '-crl_check_all',
    ]);
  });
  afterAll(() => sserver.stop());

  it('accepts a valid client certificate (Node client)', async () => {
    const result = await probe(sserver.port, nodeClient('valid'), 'ping\n');
    expect(result.data).toContain('gnip');
  });

  it.each(REFUSED)('refuses %s (Node client)', async (c) => {
    const result = await probe(sserver.port, nodeClient(c), 'ping\n');
    expect(result.data).not.toContain('gnip');
    expect(result.error).toBe(FROM_OPENSSL_SERVER[c]);
  });
});

describe('why both CRLs are loaded', () => {
  it('with only the intermediate CRL, Node refuses even a valid client (it checks the whole chain)', async () => {
    const intermediateOnly = await startNodeServer(
      serverTlsOptions({ ...material(server), crlPems: [crlPems[0]!] }),
    );
    try {
      const result = await probe(intermediateOnly.port, nodeClient('valid'));
      expect(result.accepted).toBe(false);
    } finally {
      await intermediateOnly.close();
    }
  });

  it('openssl verify -crl_check_all agrees: revoked is refused, valid passes', async () => {
    const crls = await pemFiles(await tempDir(), { crls: crlPems.join('') });
    const verify = (cert: string) =>
      openssl([
        'verify',
        '-crl_check_all',
        '-CAfile',
        files['root']!,
        '-untrusted',
        files['intermediate']!,
        '-CRLfile',
        crls.crls,
        cert,
      ]);
    expect((await verify(files['validCert']!)).code).toBe(0);
    const revoked = await verify(files['revokedCert']!);
    expect(revoked.code).not.toBe(0);
    expect(revoked.stdout + revoked.stderr).toMatch(/certificate revoked/);
  });
});

describe('controls: each refused certificate is refused only for the reason under test', () => {
  it('the revoked certificate is accepted by a server that loads no CRL', async () => {
    const noCrl = await startNodeServer(serverTlsOptions(material(server)));
    try {
      expect((await probe(noCrl.port, nodeClient('revoked'))).data).toContain('hello node-bad');
    } finally {
      await noCrl.close();
    }
  });

  it("the other CA's certificate is accepted by a server that trusts that CA", async () => {
    const trusting = await startNodeServer(
      serverTlsOptions({ ...material(server), caPem: other.ca.rootCertPem }),
    );
    try {
      expect((await probe(trusting.port, nodeClient('other-ca'))).data).toContain('hello node-good');
    } finally {
      await trusting.close();
    }
  });

  it('the expired certificate fails only on time: openssl verifies it once time checks are off', async () => {
    const chain = ['-CAfile', files['root']!, '-untrusted', files['intermediate']!];
    const now = await openssl(['verify', ...chain, files['expiredCert']!]);
    expect(now.stdout + now.stderr).toMatch(/certificate has expired/);
    const timeless = await openssl(['verify', '-no_check_time', ...chain, files['expiredCert']!]);
    expect(timeless.stdout).toContain(': OK');
  });
});

function sClient(port: number, c: Case) {
  return openssl([
    's_client',
    '-connect',
    `127.0.0.1:${port}`,
    '-servername',
    'localhost',
    '-CAfile',
    files['root']!,
    '-verify_return_error',
    '-quiet',
    '-ign_eof',
    ...sClientArgs(c),
  ]);
}
