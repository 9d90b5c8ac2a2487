// A real CA in a temp directory, created once per test file (RSA-4096 keygen takes a second or
// two). Tests that need a frozen or shifted clock open the same directory with their own clock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { CertificateAuthority, type CaOptions } from '../../src/index.ts';

export const TEST_PASSPHRASE = 'correct horse battery staple';

export interface TestCa {
  readonly dir: string;
  readonly ca: CertificateAuthority;
  /** Opens the same CA with other options (a frozen clock, the passphrase...). */
  reopen(options?: CaOptions & { passphrase?: string }): Promise<CertificateAuthority>;
  cleanup(): Promise<void>;
}

const created: string[] = [];
// Registered while the importing test file is being collected, so it runs after that file.
afterAll(async () => {
  await Promise.all(created.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

export async function tempDir(prefix = 'enclave-certs-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export async function createTestCa(options: CaOptions = {}): Promise<TestCa> {
  const base = await tempDir();
  const dir = join(base, 'ca');
  const ca = await CertificateAuthority.init({ dir, passphrase: TEST_PASSPHRASE, ...options });
  return {
    dir,
    ca,
    reopen: (more = {}) => CertificateAuthority.open({ dir, ...options, ...more }),
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}

export const frozenClock = (iso: string | Date) => {
  const at = new Date(iso);
  return () => new Date(at);
};

/** A clock the test moves by hand. */
export function manualClock(start: Date = new Date()): {
  now: () => Date;
  advance(ms: number): void;
  set(d: Date): void;
} {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    advance: (ms) => {
      current += ms;
    },
    set: (d) => {
      current = d.getTime();
    },
  };
}
