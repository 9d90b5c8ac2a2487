// The browser-facing headers, pinned as literal values (not the implementation's constants, so
// weakening a constant fails here): HSTS, CSP with frame-ancestors, nosniff, no framing, on API
// successes and errors, on the web UI's pages and files, and on the agent listener. Also the
// UI's static paths: anything outside the UI directory, encoded or not, is a plain 404.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpsCall, type HttpReply } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;
let ui: string;
let cookie: string;

beforeAll(async () => {
  ui = await mkdtemp(join(tmpdir(), 'enclave-ui-headers-'));
  await mkdir(join(ui, 'assets'));
  await writeFile(join(ui, 'index.html'), '<!doctype html><html></html>\n');
  await writeFile(join(ui, 'assets', 'app-1a2b3c.js'), 'console.log(1);\n');
  await writeFile(join(tmpdir(), 'enclave-headers-outside.txt'), 'outside the UI\n');
  t = await startTestAppliance({ env: { ENCLAVE_UI_DIR: ui } });
  cookie = await t.login(await t.createUser(await t.createTenant('headers'), 'producer'));
});

afterAll(async () => {
  await t?.stop();
  if (ui) await rm(ui, { recursive: true, force: true });
});

function expectBrowserHardening(reply: HttpReply, what: string): void {
  const h = reply.headers;
  const hsts = String(h['strict-transport-security']);
  expect(Number(/max-age=(\d+)/.exec(hsts)?.[1]), `${what}: HSTS ${hsts}`).toBeGreaterThanOrEqual(31_536_000);
  expect(hsts, what).toContain('includeSubDomains');
  expect(h['x-content-type-options'], what).toBe('nosniff');
  expect(h['x-frame-options'], what).toBe('DENY');
  expect(h['referrer-policy'], what).toBe('no-referrer');
  const csp = String(h['content-security-policy']);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toMatch(/default-src '(none|self)'/);
  expect(csp, what).not.toContain('unsafe-inline');
  expect(csp, what).not.toContain('unsafe-eval');
  expect(h['x-powered-by'], what).toBeUndefined();
}

describe('security headers', () => {
  it('on API replies: success, 401, 404, 400 and 413, signed in or not', async () => {
    const replies: [string, HttpReply][] = [
      ['health', await t.api({ path: '/api/v1/health' })],
      ['me', await t.api({ path: '/api/v1/auth/me', cookie })],
      ['401', await t.api({ path: '/api/v1/auth/me' })],
      ['404', await t.api({ path: '/api/v1/nothing-here' })],
      ['400', await t.api({ method: 'POST', path: '/api/v1/auth/login', body: '{not json' })],
      [
        '413',
        await t.api({
          method: 'POST',
          path: '/api/v1/auth/login',
          body: JSON.stringify({ pad: 'x'.repeat(1_100_000) }),
        }),
      ],
    ];
    expect(replies.map(([, r]) => r.status)).toEqual([200, 200, 401, 404, 400, 413]);
    for (const [what, reply] of replies) {
      expectBrowserHardening(reply, what);
      expect(reply.headers['content-security-policy'], what).toContain("default-src 'none'");
      expect(reply.headers['cache-control'], what).toBe('no-store');
    }
  });

  it('on the web UI: the app page and a bundle', async () => {
    for (const path of ['/', '/projects/some-app-route', '/assets/app-1a2b3c.js']) {
      const reply = await t.api({ path });
      expect(reply.status, path).toBe(200);
      expectBrowserHardening(reply, path);
      expect(String(reply.headers['content-security-policy']), path).toMatch(/script-src 'self'(;|$)/);
    }
  });

  it('on the agent listener, even to a caller it refuses', async () => {
    const node = await t.registerNode('headers-node');
    const reply = await httpsCall({
      port: t.agentPort,
      path: '/agent/v1/whoami',
      tls: { ca: t.caPem, cert: node.chainPem, key: node.keyPem ?? '' },
    });
    expect(reply.status).toBe(200);
    expectBrowserHardening(reply, 'agent whoami');
  });
});

describe('UI static paths', () => {
  it('outside the UI directory, encoded or not, and dot files are 404', async () => {
    for (const path of [
      '/../enclave-headers-outside.txt',
      '/%2e%2e/enclave-headers-outside.txt',
      '/assets/..%2f..%2fenclave-headers-outside.txt',
      '/assets/%2e%2e%2f%2e%2e%2fenclave-headers-outside.txt',
      '/%2e%2e%5cenclave-headers-outside.txt',
      '/assets/missing-999.js',
    ]) {
      const reply = await t.api({ path });
      expect(reply.status, path).toBe(404);
      expect(reply.text, path).not.toContain('outside the UI');
    }
  });
});
