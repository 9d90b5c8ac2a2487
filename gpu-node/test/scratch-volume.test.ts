// The LUKS2 scratch volume: the plan (key only ever on stdin, LUKS2, the mapper device), and —
// where this machine can make dm-crypt devices (root, cryptsetup, /dev/mapper/control) — a real
// 32 MiB volume: format, open, write a marker, close; the marker is not in the backing file, and
// it reads back after reopening with the key but the volume does not open with another key.
// Where dm-crypt is not available the test is reported SKIPPED with the reason, never passed.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScratchVolume, ScratchVolumeError, planScratchVolume, processRunner } from '../src/index.ts';

function dmCryptUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'not root';
  try {
    execFileSync('cryptsetup', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'cryptsetup is not installed (Debian package cryptsetup-bin)';
  }
  if (!existsSync('/dev/mapper/control'))
    return 'no /dev/mapper/control: this kernel/container offers no device-mapper (dm-crypt)';
  return null;
}

const unavailable = dmCryptUnavailable();
if (unavailable !== null) console.warn(`scratch-volume: real dm-crypt test SKIPPED: ${unavailable}`);

describe('planScratchVolume', () => {
  const plan = planScratchVolume({
    backingFile: '/var/lib/enclave/scratch.luks',
    sizeBytes: 1 << 30,
    name: 'enclave-scratch',
    mountPoint: '/var/lib/enclave/scratch',
  });

  it('formats LUKS2 and opens with the key on stdin only, never in an argument', () => {
    const [format] = plan.format;
    expect(format?.args.slice(0, 3)).toEqual(['luksFormat', '--type', 'luks2']);
    expect(format?.keyOnStdin).toBe(true);
    expect(format?.args).toContain('--key-file');
    expect(format?.args[format.args.indexOf('--key-file') + 1]).toBe('-');
    expect(plan.open[0]).toEqual({
      command: 'cryptsetup',
      args: [
        'open',
        '--type',
        'luks2',
        '--key-file',
        '-',
        '/var/lib/enclave/scratch.luks',
        'enclave-scratch',
      ],
      keyOnStdin: true,
    });
    expect(plan.device).toBe('/dev/mapper/enclave-scratch');
    expect(plan.mount[0]?.args).toEqual([
      '-o',
      'nodev,nosuid',
      '/dev/mapper/enclave-scratch',
      '/var/lib/enclave/scratch',
    ]);
    expect(plan.close[0]?.args).toEqual(['close', 'enclave-scratch']);
    for (const step of [...plan.mkfs, ...plan.mount, ...plan.unmount, ...plan.close])
      expect(step.keyOnStdin).toBe(false);
  });

  it('refuses a mapper name that could escape /dev/mapper and relative paths', () => {
    const base = { backingFile: '/x/f', sizeBytes: 1, mountPoint: '/x/m' };
    expect(() => planScratchVolume({ ...base, name: '../evil' })).toThrow(/must be 1–48/);
    expect(() => planScratchVolume({ ...base, name: 'ok', backingFile: 'rel' })).toThrow(/absolute/);
  });

  it('refuses a key that is not 32 bytes before running anything', async () => {
    const volume = new ScratchVolume(
      { backingFile: '/nonexistent/f', sizeBytes: 1, name: 'v', mountPoint: '/nonexistent/m' },
      processRunner,
    );
    await expect(volume.open(new Uint8Array(16))).rejects.toBeInstanceOf(ScratchVolumeError);
  });
});

describe('a real LUKS2 volume on a loop file', () => {
  it.skipIf(unavailable !== null)(
    `format, open, write, close: the marker never reaches the backing file${unavailable !== null ? ` — SKIPPED: ${unavailable}` : ''}`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'enclave-luks-'));
      const name = `enclave-test-${randomBytes(4).toString('hex')}`;
      const volume = new ScratchVolume(
        { backingFile: join(dir, 'scratch.luks'), sizeBytes: 32 << 20, name, mountPoint: join(dir, 'mnt') },
        processRunner,
      );
      const key = randomBytes(32);
      const marker = Buffer.from(`ENCLAVE-PLAINTEXT-MARKER-${randomBytes(8).toString('hex')}`);
      try {
        await volume.format(key);
        const device = await volume.open(key);
        const handle = await open(device, 'r+');
        try {
          for (let at = 0; at < 8 << 20; at += 1 << 20) await handle.write(marker, 0, marker.length, at);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await volume.close();
        const backing = await readFile(join(dir, 'scratch.luks'));
        expect(backing.length).toBe(32 << 20);
        expect(backing.includes(marker)).toBe(false);
        expect(backing.subarray(0, 4).toString('latin1')).toBe('LUKS');

        await expect(volume.open(randomBytes(32))).rejects.toBeInstanceOf(ScratchVolumeError);
        await volume.open(key);
        const again = await open(device, 'r');
        try {
          const read = Buffer.alloc(marker.length);
          await again.read(read, 0, marker.length, 1 << 20);
          expect(read.equals(marker)).toBe(true);
        } finally {
          await again.close();
        }
      } finally {
        await volume.close().catch(() => undefined);
        await rm(dir, { recursive: true, force: true });
      }
    },
    60_000,
  );
});
