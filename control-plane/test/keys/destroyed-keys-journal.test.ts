// The destroyed-keys journal file on a real filesystem: appends survive a reopen, an entry is
// written once, and an edited, deleted or reordered line stops the open naming the line; a
// last line torn by a crash is cut off, not taken for tampering.
import type { DestroyedKeyEntry } from '@enclave/crypto';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DestroyedKeysJournal, JournalFileError } from '../../src/keys/destroyed-keys.journal.ts';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-journal-'));
  file = join(dir, 'data', 'destroyed-keys.journal');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const entry = (n: number): DestroyedKeyEntry => ({
  keyId: `dek_${n}`,
  kind: 'dek',
  tenantId: 'tenant1',
  destroyedAt: new Date(Date.UTC(2026, 10, n)).toISOString(),
  reason: `project p${n} erased`,
});

async function threeLines(): Promise<string[]> {
  const journal = await DestroyedKeysJournal.open(file);
  expect(journal.created).toBe(true);
  expect(await journal.append([entry(1), entry(2)])).toBe(2);
  expect(await journal.append([entry(2), entry(3)])).toBe(1);
  return (await readFile(file, 'utf8')).trimEnd().split('\n');
}

describe('destroyed-keys journal file', () => {
  it('keeps every entry once, in order, across a reopen; the file is 0600', async () => {
    await threeLines();
    const again = await DestroyedKeysJournal.open(file);
    expect(again.created).toBe(false);
    expect(again.entries()).toEqual([entry(1), entry(2), entry(3)]);
    expect(again.has('dek_2')).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['edited', (l: string[]) => [l[0]!, l[1]!.replace('p2 erased', 'p9 erased'), l[2]!], 2, /was edited/],
    ['deleted', (l: string[]) => [l[0]!, l[2]!], 2, /seq 3 where 2 was expected/],
    ['reordered', (l: string[]) => [l[1]!, l[0]!, l[2]!], 1, /seq 2 where 1 was expected/],
    ['not JSON', (l: string[]) => [l[0]!, '{"seq":2', l[2]!], 2, /not JSON/],
  ])('an %s line stops the open, naming the line', async (_what, change, line, why) => {
    const lines = await threeLines();
    await writeFile(file, `${change(lines).join('\n')}\n`);
    const opened = DestroyedKeysJournal.open(file);
    await expect(opened).rejects.toBeInstanceOf(JournalFileError);
    await expect(opened).rejects.toThrow(new RegExp(`broken at line ${line}: .*`));
    await expect(DestroyedKeysJournal.open(file)).rejects.toThrow(why);
  });

  it('a line removed with its successors re-chained by hand still fails (the hash covers seq and prev)', async () => {
    const lines = await threeLines();
    const third = JSON.parse(lines[2]!) as { seq: number };
    third.seq = 2;
    await writeFile(file, `${lines[0]}\n${JSON.stringify(third)}\n`);
    await expect(DestroyedKeysJournal.open(file)).rejects.toThrow(/line 2: it does not chain/);
  });

  it('cuts off a last line torn by a crash and appends after it', async () => {
    await threeLines();
    await appendFile(file, '{"seq":4,"entry":{"keyId":"dek_4"');
    const journal = await DestroyedKeysJournal.open(file);
    expect(journal.tornBytes).toBeGreaterThan(0);
    expect(journal.entries()).toHaveLength(3);
    expect(await journal.append([entry(4)])).toBe(1);
    expect((await DestroyedKeysJournal.open(file)).entries()).toEqual([1, 2, 3, 4].map(entry));
  });
});
