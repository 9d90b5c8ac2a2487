// The file-backed stores under real concurrency: several OS processes append to one issuance log
// and race to consume one token. The lock is O_EXCL on a real file, so this is the behaviour the
// CLI and a running control plane get when they share a CA directory.
import { spawn } from 'node:child_process';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  FileEnrollmentTokenStore,
  FileIssuanceLog,
  FileRevocationStore,
  findBrokenLink,
} from '../src/index.ts';
import { withFileLock } from '../src/file-lock.ts';
import { tempDir } from './support/test-ca.ts';

const src = (file: string) => pathToFileURL(join(import.meta.dirname, '../src', file)).href;

function runNode(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`child failed (${code}): ${err}`)),
    );
  });
}

const entry = (i: number) => ({
  event: 'issued' as const,
  serial: (i + 1).toString(16).padStart(2, '0'),
  subject: `CN=node-${i},OU=node,O=Enclave`,
  principal: `node-${i}`,
  profile: 'node' as const,
  fingerprint256: 'AA',
  notAfter: '2030-01-01T00:00:00.000Z',
  actor: 'test',
  at: '2026-01-01T00:00:00.000Z',
});

describe('FileIssuanceLog', () => {
  it('four processes appending 25 entries each leave one unbroken chain of 100', async () => {
    const path = join(await tempDir(), 'issuance-log.jsonl');
    const script = (worker: number) => `
      const { FileIssuanceLog } = await import(${JSON.stringify(src('file-issuance-log.ts'))});
      const log = new FileIssuanceLog(${JSON.stringify(path)});
      const entry = ${JSON.stringify(entry(0))};
      for (let i = 0; i < 25; i++) await log.append({ ...entry, principal: 'node-w${worker}-' + i });
    `;
    await Promise.all([0, 1, 2, 3].map((w) => runNode(script(w))));
    const entries = await new FileIssuanceLog(path).entries();
    expect(entries).toHaveLength(100);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(findBrokenLink(entries)).toBeUndefined();
  });
});

describe('FileEnrollmentTokenStore', () => {
  it('of six processes consuming the same token, exactly one succeeds', async () => {
    const path = join(await tempDir(), 'tokens.json');
    const store = new FileEnrollmentTokenStore(path);
    const secretHash = 'ab'.repeat(32);
    await store.save({
      secretHash,
      name: 'n',
      profile: 'node',
      serverAuth: false,
      dnsNames: [],
      ipAddresses: [],
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2030-01-01T00:00:00.000Z',
      createdBy: 'test',
    });
    const script = `
      const { FileEnrollmentTokenStore } = await import(${JSON.stringify(src('file-enrollment-token-store.ts'))});
      const ok = await new FileEnrollmentTokenStore(${JSON.stringify(path)}).consume(${JSON.stringify(secretHash)}, new Date().toISOString());
      process.stdout.write(String(ok));
    `;
    const results = await Promise.all(Array.from({ length: 6 }, () => runNode(script)));
    expect(results.filter((r) => r === 'true')).toHaveLength(1);
    expect((await store.find(secretHash))?.usedAt).toBeDefined();
  });
});

describe('FileRevocationStore', () => {
  it('is idempotent per serial and hands out strictly increasing CRL numbers', async () => {
    const store = new FileRevocationStore(join(await tempDir(), 'revocations.json'));
    const revoked = {
      serial: '0A0B',
      principal: 'node-x',
      reason: 'keyCompromise' as const,
      revokedAt: '2026-01-01T00:00:00.000Z',
      notAfter: '2026-01-02T00:00:00.000Z',
      actor: 'test',
      issuer: 'intermediate' as const,
    };
    expect(await store.add([revoked])).toHaveLength(1);
    expect(await store.add([{ ...revoked, serial: '0a0b' }])).toEqual([]);
    expect((await store.find('0A:0B'))?.serial).toBe('0a0b');
    const numbers = await Promise.all(Array.from({ length: 10 }, () => store.nextCrlNumber('intermediate')));
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect(await store.nextCrlNumber('root')).toBe(1);
  });
});

describe('withFileLock', () => {
  it('waits for a held lock and then gives up with STORE_LOCKED', async () => {
    const lock = join(await tempDir(), 'held.lock');
    await writeFile(lock, 'another process');
    await expect(withFileLock(lock, () => Promise.resolve('ran'), { timeoutMs: 150 })).rejects.toMatchObject({
      code: 'STORE_LOCKED',
    });
  });

  it('breaks a lock left behind by a crashed process', async () => {
    const lock = join(await tempDir(), 'stale.lock');
    await writeFile(lock, 'crashed');
    const old = new Date(Date.now() - 120_000);
    await utimes(lock, old, old);
    await expect(withFileLock(lock, () => Promise.resolve('ran'))).resolves.toBe('ran');
  });
});
