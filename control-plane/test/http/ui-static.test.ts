// The web UI on the API listener (ENCLAVE_UI_DIR): files with their content types and the UI's
// CSP, index.html for the app's own paths, immutable caching for hashed bundles only, and
// nothing that reaches outside the directory or shadows the API.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECURITY_HEADERS, UI_CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.ts';
import { httpsCall } from '../support/https-client.ts';
import { startTestAppliance, type TestAppliance } from '../support/test-appliance.ts';

let t: TestAppliance;
let ui: string;
const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head></html>\n';

beforeAll(async () => {
  ui = await mkdtemp(join(tmpdir(), 'enclave-ui-dist-'));
  await mkdir(join(ui, 'assets'));
  await writeFile(join(ui, 'index.html'), INDEX);
  await writeFile(join(ui, 'assets', 'index-abc123.js'), 'console.log(1);\n');
  await writeFile(join(ui, 'assets', 'index-abc123.css'), 'body{}\n');
  await writeFile(join(ui, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  await writeFile(join(ui, '.secret'), 'not for browsers\n');
  await writeFile(join(tmpdir(), 'enclave-ui-outside.txt'), 'outside\n');
  t = await startTestAppliance({ env: { ENCLAVE_UI_DIR: ui } });
});

afterAll(async () => {
  await t?.stop();
  if (ui) await rm(ui, { recursive: true, force: true });
});

const get = (path: string, method = 'GET') => t.api({ method, path });

describe('the web UI is served from ENCLAVE_UI_DIR on the API listener', () => {
  it('answers / and every app path with index.html under the UI policy, not cached', async () => {
    for (const path of ['/', '/projects', '/jobs/abc-123', '/fleet?lang=ar']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(200);
      expect(reply.text).toBe(INDEX);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.headers['content-security-policy']).toBe(UI_CONTENT_SECURITY_POLICY);
      expect(reply.headers['cache-control']).toBe('no-store');
      expect(reply.headers['x-frame-options']).toBe('DENY');
      expect(reply.headers['strict-transport-security']).toBe(SECURITY_HEADERS['Strict-Transport-Security']);
    }
  });

  it('serves files with their content type; hashed bundles are immutable', async () => {
    const js = await get('/assets/index-abc123.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.text).toBe('console.log(1);\n');
    expect((await get('/assets/index-abc123.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    const icon = await get('/favicon.svg');
    expect(icon.headers['content-type']).toBe('image/svg+xml');
    expect(icon.headers['cache-control']).toBe('no-store');
    const head = await get('/assets/index-abc123.js', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('16');
    expect(head.text).toBe('');
  });

  it('the policy allows only same-origin scripts and styles, never inline ones', () => {
    expect(UI_CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(UI_CONTENT_SECURITY_POLICY).toContain("style-src 'self'");
    expect(UI_CONTENT_SECURITY_POLICY).not.toContain('unsafe');
    expect(UI_CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
  });

  it('a missing file is a 404, not the app; dot files and paths outside the directory are refused', async () => {
    const stale = await get('/assets/index-old999.js');
    expect(stale.status).toBe(404);
    expect(stale.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect((await get('/.secret')).status).toBe(404);
    for (const path of [
      '/../enclave-ui-outside.txt',
      '/%2e%2e/enclave-ui-outside.txt',
      '/assets/..%2f..%2fenclave-ui-outside.txt',
    ]) {
      const reply = await get(path);
      expect(reply.text, path).not.toContain('outside');
    }
  });

  it('leaves /api to the API: JSON errors with the API policy, and non-GET app paths are not served', async () => {
    const missing = await get('/api/v1/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toContain('application/json');
    expect(missing.headers['content-security-policy']).toBe(SECURITY_HEADERS['Content-Security-Policy']);
    expect((await get('/api/v1/health')).status).toBe(200);
    const post = await t.api({ method: 'POST', path: '/projects', body: {} });
    expect(post.status).toBe(404);
    expect(post.text).not.toBe(INDEX);
  });

  it('the agent listener never serves the UI', async () => {
    const reply = await httpsCall({ port: t.agentPort, path: '/', tls: { ca: t.caPem } }).catch(
      (e: unknown) => e,
    );
    // The agent listener wants a client certificate: without one the handshake fails or the
    // path gate answers 404; either way no page.
    if (reply instanceof Error) return;
    expect((reply as { status: number }).status).not.toBe(200);
  });
});
