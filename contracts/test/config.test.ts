import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  ErrorCode,
  REDACTED,
  envBoolean,
  envInteger,
  envList,
  envPort,
  loadConfig,
  redactConfig,
} from '../src/index.ts';

const schema = z.object({
  ENCLAVE_PORT: envPort().default(8443),
  ENCLAVE_DATA_DIR: z.string().startsWith('/', 'must be an absolute path'),
  ENCLAVE_KAFKA_BROKERS: envList(z.string().regex(/^[a-z0-9.-]+:\d+$/, 'must be host:port')),
  ENCLAVE_MASTER_KEY: z.string().min(32, 'must be at least 32 characters'),
  ENCLAVE_DEV_MODE: envBoolean().default(false),
  ENCLAVE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

const sensitive = ['ENCLAVE_MASTER_KEY'] as const;
const SECRET = 'correct-horse-battery-staple-0123456789';

const goodEnv = {
  ENCLAVE_DATA_DIR: '/var/lib/enclave',
  ENCLAVE_KAFKA_BROKERS: 'kafka-1.local:9093, kafka-2.local:9093',
  ENCLAVE_MASTER_KEY: SECRET,
  PATH: '/usr/bin',
};

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(schema, env, { sensitive });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('returns typed values with defaults applied, and only the schema keys', () => {
    const config = loadConfig(schema, goodEnv, { sensitive });
    expect(config).toEqual({
      ENCLAVE_PORT: 8443,
      ENCLAVE_DATA_DIR: '/var/lib/enclave',
      ENCLAVE_KAFKA_BROKERS: ['kafka-1.local:9093', 'kafka-2.local:9093'],
      ENCLAVE_MASTER_KEY: SECRET,
      ENCLAVE_DEV_MODE: false,
      ENCLAVE_LOG_LEVEL: 'info',
    });
    expect(config).not.toHaveProperty('PATH');
  });

  it('is frozen all the way down', () => {
    const config = loadConfig(schema, goodEnv, { sensitive });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.ENCLAVE_KAFKA_BROKERS)).toBe(true);
    expect(() => {
      (config as { ENCLAVE_PORT: number }).ENCLAVE_PORT = 1;
    }).toThrow(TypeError);
    expect(() => (config.ENCLAVE_KAFKA_BROKERS as string[]).push('x:1')).toThrow(TypeError);
  });

  it('names every bad variable and what is expected, with non-sensitive values', () => {
    const error = configError({
      ...goodEnv,
      ENCLAVE_PORT: '70000',
      ENCLAVE_DATA_DIR: 'relative/dir',
      ENCLAVE_DEV_MODE: 'maybe',
    });
    expect(error.code).toBe(ErrorCode.CONFIG_INVALID);
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'ENCLAVE_DATA_DIR',
      'ENCLAVE_DEV_MODE',
      'ENCLAVE_PORT',
    ]);
    expect(error.message).toContain('3 environment variables to fix');
    expect(error.message).toMatch(/ENCLAVE_PORT: .*65535.*\(got "70000"\)/);
    expect(error.message).toContain('ENCLAVE_DATA_DIR: must be an absolute path (got "relative/dir")');
    expect(error.message).toMatch(
      /ENCLAVE_DEV_MODE: must be one of true, 1, yes, on, false, 0, no, off \(got "maybe"\)/,
    );
  });

  it('says a missing variable is required', () => {
    const { ENCLAVE_DATA_DIR: _missing, ...env } = goodEnv;
    const error = configError(env);
    expect(error.issues).toEqual([{ path: 'ENCLAVE_DATA_DIR', message: 'required (expected string)' }]);
  });

  it('never echoes the value of a sensitive variable', () => {
    const shortSecret = 'hunter2-but-short';
    const error = configError({ ...goodEnv, ENCLAVE_MASTER_KEY: shortSecret });
    expect(error.message).toContain(
      'ENCLAVE_MASTER_KEY: must be at least 32 characters (value hidden: sensitive)',
    );
    expect(
      JSON.stringify({ message: error.message, issues: error.issues, stack: error.stack }),
    ).not.toContain('hunter2');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig(schema, { ...goodEnv, ENCLAVE_PORT: '' }, { sensitive }).ENCLAVE_PORT).toBe(8443);
    expect(configError({ ...goodEnv, ENCLAVE_MASTER_KEY: '' }).issues).toEqual([
      { path: 'ENCLAVE_MASTER_KEY', message: 'required (expected string)' },
    ]);
  });

  it('refuses a sensitive list naming a variable the schema does not have', () => {
    expect(() =>
      loadConfig(schema, goodEnv, { sensitive: ['ENCLAVE_MASTER_KYE' as 'ENCLAVE_MASTER_KEY'] }),
    ).toThrow(/ENCLAVE_MASTER_KYE/);
  });
});

describe('redactConfig', () => {
  it('replaces set sensitive values and keeps the rest', () => {
    const config = loadConfig(schema, goodEnv, { sensitive });
    const redacted = redactConfig(config);
    expect(redacted.ENCLAVE_MASTER_KEY).toBe(REDACTED);
    expect(redacted.ENCLAVE_DATA_DIR).toBe('/var/lib/enclave');
    expect(JSON.stringify(redacted)).not.toContain(SECRET);
    expect(config.ENCLAVE_MASTER_KEY).toBe(SECRET);
  });

  it('shows an unset optional secret as unset rather than hiding that fact', () => {
    const optionalSecret = z.object({ ENCLAVE_SMTP_PASSWORD: z.string().optional() });
    const config = loadConfig(optionalSecret, {}, { sensitive: ['ENCLAVE_SMTP_PASSWORD'] });
    expect(redactConfig(config)).toEqual({ ENCLAVE_SMTP_PASSWORD: undefined });
  });

  it('refuses objects that did not come from loadConfig', () => {
    expect(() => redactConfig({ ENCLAVE_MASTER_KEY: SECRET })).toThrow(TypeError);
  });
});

describe('env field helpers', () => {
  it('envBoolean reads "false" as false, unlike z.coerce.boolean', () => {
    const flag = envBoolean();
    expect(flag.parse('false')).toBe(false);
    expect(flag.parse('0')).toBe(false);
    expect(flag.parse('TRUE')).toBe(true);
    expect(flag.parse('yes')).toBe(true);
    expect(flag.safeParse('nope').success).toBe(false);
  });

  it('envInteger refuses decimals, hex and blanks', () => {
    const int = envInteger({ min: 0, max: 10 });
    expect(int.parse('7')).toBe(7);
    for (const text of ['7.5', '0x7', ' ', '1e1', '11', '-1'])
      expect(int.safeParse(text).success, text).toBe(false);
  });

  it('envList trims and drops empty items but wants at least one', () => {
    const list = envList(z.string());
    expect(list.parse(' a, b ,,c ')).toEqual(['a', 'b', 'c']);
    expect(list.safeParse(' , ').success).toBe(false);
  });
});
