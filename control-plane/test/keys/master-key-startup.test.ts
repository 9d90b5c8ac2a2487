// Start-up with the master key (real appliance, real SQLite file): a missing, insecure or wrong
// key file or passphrase stops boot with a message naming the setting to fix; the right one
// opens the same key store again after a restart.
import { MasterKey } from '@enclave/crypto';
import { chmod, cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startControlPlane } from '../../src/app/control-plane.app.ts';
import { loadControlPlaneConfig } from '../../src/config/control-plane.config.ts';
import { MemoryLogSink } from '../support/memory-log-sink.ts';
import { startTestAppliance } from '../support/test-appliance.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-master-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The first start (a dev key file in the data dir), stopped; the directory is kept for restarts. */
async function firstStart(env: Record<string, string> = {}): Promise<void> {
  const t = await startTestAppliance({ env });
  await copyDir(t.dir, dir);
  await t.stop();
}

function copyDir(from: string, to: string): Promise<void> {
  return cp(from, to, { recursive: true });
}

function restart(env: Record<string, string>) {
  return startTestAppliance({ dir, env });
}

/** Starts straight from a config over the first start's directory (no dev key file made). */
function startAt(env: Record<string, string>) {
  const config = loadControlPlaneConfig({
    ENCLAVE_DATA_DIR: join(dir, 'data'),
    ENCLAVE_CA_DIR: join(dir, 'ca'),
    ENCLAVE_TLS_KEY_FILE: join(dir, 'tls', 'key.pem'),
    ENCLAVE_TLS_CERT_FILE: join(dir, 'tls', 'cert.pem'),
    ENCLAVE_TLS_CHAIN_FILE: join(dir, 'tls', 'chain.pem'),
    ENCLAVE_API_PORT: '0',
    ENCLAVE_AGENT_PORT: '0',
    ...env,
  });
  return startControlPlane(config, { logSink: new MemoryLogSink() });
}

describe('master key at start-up', () => {
  it('refuses to start without one, naming both settings', async () => {
    await firstStart();
    await expect(startAt({})).rejects.toThrow(
      /No master key is configured: set ENCLAVE_MASTER_KEY_FILE .* or ENCLAVE_MASTER_PASSPHRASE_FILE/,
    );
    await expect(
      startAt({
        ENCLAVE_MASTER_KEY_FILE: join(dir, 'data', 'master.key'),
        ENCLAVE_MASTER_PASSPHRASE_FILE: join(dir, 'p'),
      }),
    ).rejects.toThrow(/Both ENCLAVE_MASTER_KEY_FILE and ENCLAVE_MASTER_PASSPHRASE_FILE are set/);
  });

  it('reopens with the same key file, and refuses another key file as MASTER_KEY_WRONG', async () => {
    await firstStart();
    const again = await restart({});
    await again.stop();

    const other = join(dir, 'other.key');
    (await MasterKey.createKeyFile(other)).destroy();
    const wrong = restart({ ENCLAVE_MASTER_KEY_FILE: other });
    await expect(wrong).rejects.toMatchObject({ code: 'MASTER_KEY_WRONG' });
    await expect(wrong).rejects.toThrow(
      /^ENCLAVE_MASTER_KEY_FILE: The key store is sealed with master key mk_/,
    );
  });

  it('refuses a missing or group-readable key file, naming the setting', async () => {
    await firstStart();
    const missing = startAt({ ENCLAVE_MASTER_KEY_FILE: join(dir, 'nowhere', 'master.key') });
    await expect(missing).rejects.toThrow(/^ENCLAVE_MASTER_KEY_FILE: The master key file .* does not exist/);
    await chmod(join(dir, 'data', 'master.key'), 0o640);
    await expect(startAt({ ENCLAVE_MASTER_KEY_FILE: join(dir, 'data', 'master.key') })).rejects.toThrow(
      /ENCLAVE_MASTER_KEY_FILE: .*chmod 600/,
    );
  });

  it('derives the key from a passphrase file; a wrong passphrase is MASTER_KEY_WRONG', async () => {
    const passphrase = join(dir, 'passphrase');
    await writeFile(passphrase, 'a long and correct passphrase\n', { mode: 0o600 });
    const t = await startTestAppliance({ env: { ENCLAVE_MASTER_PASSPHRASE_FILE: passphrase } });
    await copyDir(t.dir, join(dir, 'app'));
    await t.stop();
    const restartAt = (env: Record<string, string>) => startTestAppliance({ dir: join(dir, 'app'), env });

    const again = await restartAt({ ENCLAVE_MASTER_PASSPHRASE_FILE: passphrase });
    await again.stop();
    await writeFile(passphrase, 'a long but wrong passphrase\n', { mode: 0o600 });
    const wrong = restartAt({ ENCLAVE_MASTER_PASSPHRASE_FILE: passphrase });
    await expect(wrong).rejects.toMatchObject({ code: 'MASTER_KEY_WRONG' });
    await expect(wrong).rejects.toThrow(/^ENCLAVE_MASTER_PASSPHRASE_FILE: The master passphrase is wrong/);
  });
});
