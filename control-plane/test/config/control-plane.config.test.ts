// Start-up configuration: defaults, a message naming every bad variable, secrets never shown,
// and boot refusing to go on without a CA.
import { ConfigError } from '@enclave/contracts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startControlPlane } from '../../src/app/control-plane.app.ts';
import { loadControlPlaneConfig } from '../../src/config/control-plane.config.ts';
import { MemoryLogSink } from '../support/memory-log-sink.ts';

const minimal = {
  ENCLAVE_DATA_DIR: '/var/lib/enclave',
  ENCLAVE_CA_DIR: '/var/lib/enclave/ca',
  ENCLAVE_TLS_KEY_FILE: '/etc/enclave/cp/key.pem',
  ENCLAVE_TLS_CERT_FILE: '/etc/enclave/cp/cert.pem',
};

function failure(env: Record<string, string>): ConfigError {
  try {
    loadControlPlaneConfig({ ...minimal, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('control plane configuration', () => {
  it('applies the documented defaults and is frozen', () => {
    const config = loadControlPlaneConfig(minimal);
    expect(config).toMatchObject({
      ENCLAVE_BIND: '127.0.0.1',
      ENCLAVE_API_PORT: 8443,
      ENCLAVE_AGENT_PORT: 8444,
      ENCLAVE_SESSION_IDLE_MINUTES: 30,
      ENCLAVE_SESSION_ABSOLUTE_HOURS: 12,
      ENCLAVE_LOGIN_LOCKOUT_THRESHOLD: 5,
      ENCLAVE_BODY_LIMIT_BYTES: 1_048_576,
      ENCLAVE_PASSWORD_SCRYPT_LOG2N: 17,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names every bad variable', () => {
    const error = failure({
      ENCLAVE_API_PORT: '70000',
      ENCLAVE_DATA_DIR: 'relative/path',
      ENCLAVE_BIND: 'localhost',
      ENCLAVE_KAFKA_BOOTSTRAP: 'kafka without port',
      ENCLAVE_PUBLIC_ORIGINS: 'http://plain.example',
    });
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'ENCLAVE_API_PORT',
      'ENCLAVE_BIND',
      'ENCLAVE_DATA_DIR',
      'ENCLAVE_KAFKA_BOOTSTRAP[0]',
      'ENCLAVE_PUBLIC_ORIGINS[0]',
    ]);
    expect(error.message).toContain('ENCLAVE_API_PORT');
  });

  it('never shows the value of a sensitive variable', () => {
    const error = failure({ ENCLAVE_CA_PASSPHRASE_FILE: 'secret-location/relative' });
    expect(error.message).toContain('ENCLAVE_CA_PASSPHRASE_FILE');
    expect(error.message).toContain('value hidden');
    expect(error.message).not.toContain('secret-location');
  });

  it('stops boot when ENCLAVE_CA_DIR holds no CA, saying so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'enclave-boot-'));
    try {
      const config = loadControlPlaneConfig({
        ...minimal,
        ENCLAVE_DATA_DIR: join(dir, 'data'),
        ENCLAVE_CA_DIR: join(dir, 'no-ca'),
        ENCLAVE_API_PORT: '0',
        ENCLAVE_AGENT_PORT: '0',
      });
      await expect(startControlPlane(config, { logSink: new MemoryLogSink() })).rejects.toThrow(
        /ENCLAVE_CA_DIR .*no-ca holds no CA/,
      );
    } finally {
      // Nest resolves providers side by side: the audit key's provider may still be writing into
      // the data directory after the CA provider's refusal has failed the boot (ENOTEMPTY on rm).
      await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    }
  });
});
