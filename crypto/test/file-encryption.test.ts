import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataKey, decryptFile, encryptFile, readFileHeader } from '../src/index.ts';
import { resolverFor } from './support/streams.ts';

const key = DataKey.generate('dek');
const resolveKey = resolverFor(key);
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-crypto-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('encryptFile / decryptFile', () => {
  it('round-trips a multi-chunk file, writing owner-only files', async () => {
    const plaintext = randomBytes(5 * 65536 + 99);
    await writeFile(join(dir, 'clip.mp4'), plaintext);
    await encryptFile(join(dir, 'clip.mp4'), join(dir, 'clip.enc'), { key, chunkSize: 65536 });
    await decryptFile(join(dir, 'clip.enc'), join(dir, 'clip.out'), { resolveKey });
    expect((await readFile(join(dir, 'clip.out'))).equals(plaintext)).toBe(true);
    expect((await stat(join(dir, 'clip.enc'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'clip.out'))).mode & 0o777).toBe(0o600);
    expect(await readFileHeader(join(dir, 'clip.enc'))).toEqual({
      version: 1,
      alg: 1,
      chunkSize: 65536,
      keyId: key.keyId,
    });
  });

  it('a file that fails to decrypt leaves neither the destination nor a temp file behind', async () => {
    const plaintext = randomBytes(4 * 65536);
    await writeFile(join(dir, 'doc'), plaintext);
    await encryptFile(join(dir, 'doc'), join(dir, 'doc.enc'), { key, chunkSize: 65536 });
    const sealed = await readFile(join(dir, 'doc.enc'));
    sealed[sealed.length - 20] = (sealed[sealed.length - 20] as number) ^ 1; // damage the final chunk
    await writeFile(join(dir, 'doc.enc'), sealed);

    await expect(
      decryptFile(join(dir, 'doc.enc'), join(dir, 'doc.out'), { resolveKey }),
    ).rejects.toMatchObject({
      code: 'CHUNK_AUTH_FAILED',
    });
    expect((await readdir(dir)).sort()).toEqual(['doc', 'doc.enc']);
  });

  it('a failed encryption leaves nothing, and an existing destination untouched', async () => {
    await writeFile(join(dir, 'old.enc'), 'previous object');
    await expect(encryptFile(join(dir, 'missing'), join(dir, 'old.enc'), { key })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect(await readdir(dir)).toEqual(['old.enc']);
    expect(await readFile(join(dir, 'old.enc'), 'utf8')).toBe('previous object');
  });

  it('readFileHeader refuses a file that is not in the format', async () => {
    await writeFile(join(dir, 'plain.txt'), 'hello, world');
    await expect(readFileHeader(join(dir, 'plain.txt'))).rejects.toMatchObject({ code: 'HEADER_INVALID' });
  });
});
