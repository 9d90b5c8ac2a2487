// The spec's test vectors, checked three ways: the implementation reproduces the fixture, the
// document shows exactly the fixture's values, and a second implementation written from the
// document with bare node:crypto reads them. Regenerate after a deliberate format change with
// UPDATE_FORMAT_VECTORS=1 (and bump the format version).
import { createDecipheriv, createHash, createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataKey, decryptBuffer, decryptFieldText } from '../src/index.ts';
import { VECTOR_DEK, computeVectors, encryptVector, type FormatVectors } from './support/format-vectors.ts';
import { patternBytes } from './support/seeded-random.ts';

const fixturePath = join(import.meta.dirname, 'fixtures/format-v1-vectors.json');
const specPath = join(import.meta.dirname, '../../docs/encryption-format.md');
if (process.env['UPDATE_FORMAT_VECTORS'] === '1') {
  writeFileSync(fixturePath, JSON.stringify(computeVectors(), null, 2) + '\n');
}
const fixture = JSON.parse(readFileSync(fixturePath, 'utf8')) as FormatVectors;

/** A reader written from docs/encryption-format.md alone: no import from src/. */
function referenceDecrypt(file: Buffer, dek: Buffer): Buffer {
  if (!file.subarray(0, 4).equals(Buffer.from('ENCL')) || file[4] !== 1 || file[5] !== 1)
    throw new Error('header');
  const chunkSize = 2 ** (file[6] as number);
  const idLength = file[7] as number;
  const keyId = file.subarray(8, 8 + idLength);
  const salt = file.subarray(8 + idLength, 40 + idLength);
  const headerLength = 72 + idLength;
  const header = file.subarray(0, headerLength);
  const okm = Buffer.from(
    hkdfSync('sha256', dek, salt, Buffer.concat([Buffer.from('enclave/file/v1'), keyId]), 71),
  );
  const [fileKey, prefix, headerKey] = [okm.subarray(0, 32), okm.subarray(32, 39), okm.subarray(39)];
  const mac = createHmac('sha256', headerKey)
    .update(file.subarray(0, 40 + idLength))
    .digest();
  if (!timingSafeEqual(mac, file.subarray(40 + idLength, headerLength))) throw new Error('header MAC');
  const out: Buffer[] = [];
  let at = headerLength;
  for (let i = 0; ; i += 1) {
    const last = file.length - at <= chunkSize + 16;
    const end = last ? file.length : at + chunkSize + 16;
    const nonce = Buffer.concat([prefix, Buffer.from([0, 0, 0, 0, last ? 1 : 0])]);
    nonce.writeUInt32BE(i, 7);
    const decipher = createDecipheriv('aes-256-gcm', fileKey, nonce);
    decipher.setAAD(header);
    decipher.setAuthTag(file.subarray(end - 16, end));
    out.push(decipher.update(file.subarray(at, end - 16)), decipher.final());
    at = end;
    if (last) return Buffer.concat(out);
  }
}

describe('format v1 test vectors', () => {
  it('the implementation reproduces the stored vectors', () => {
    expect(computeVectors()).toEqual(fixture);
  });

  it('docs/encryption-format.md shows the stored vectors', () => {
    const spec = readFileSync(specPath, 'utf8').replace(/\s+/g, '');
    const values = [
      ...Object.values(fixture.derived),
      fixture.empty.ciphertext,
      fixture.short.ciphertext,
      fixture.long.header,
      fixture.long.ciphertextSha256,
      ...fixture.long.tags,
      ...fixture.long.chunkStarts,
      ...Object.values(fixture.field.sealed),
    ];
    for (const value of values) expect(spec).toContain(value);
  });

  it('a reader written from the spec alone decrypts every vector', () => {
    expect(referenceDecrypt(Buffer.from(fixture.empty.ciphertext, 'hex'), VECTOR_DEK).length).toBe(0);
    expect(referenceDecrypt(Buffer.from(fixture.short.ciphertext, 'hex'), VECTOR_DEK).toString()).toBe(
      fixture.short.plaintext,
    );
    const long = encryptVector(patternBytes(fixture.long.plaintextLength));
    expect(createHash('sha256').update(long).digest('hex')).toBe(fixture.long.ciphertextSha256);
    expect(referenceDecrypt(long, VECTOR_DEK).equals(patternBytes(fixture.long.plaintextLength))).toBe(true);
  });

  it('the package reads the vectors, and opens the sealed field', async () => {
    const key = new DataKey(fixture.keyId, 'dek', VECTOR_DEK);
    const resolveKey = () => Promise.resolve(key);
    const short = await decryptBuffer(Buffer.from(fixture.short.ciphertext, 'hex'), { resolveKey });
    expect(short.toString()).toBe(fixture.short.plaintext);
    expect(decryptFieldText(key, fixture.field.sealed, fixture.field.aad)).toBe(fixture.field.plaintext);
  });
});
