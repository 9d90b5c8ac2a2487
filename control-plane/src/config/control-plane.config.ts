// Every setting of the control plane, read once at start-up from the environment, validated,
// typed and frozen. A bad value stops boot with a message naming the variable; the values of
// sensitive variables never appear in that message or in logs (redactConfig).
import {
  DEFAULT_ACCOUNT_RETENTION_DAYS,
  envInteger,
  envList,
  loadConfig,
  type DeepReadonly,
  type Env,
} from '@enclave/contracts';
import { z } from 'zod';

const absolutePath = () => z.string().startsWith('/', 'must be an absolute path');
/** 0 asks the OS for a free port: tests listen on 127.0.0.1:0. */
const listenPort = () => envInteger({ min: 0, max: 65_535 });
const hostPort = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port');
const origin = z.url().regex(/^https:\/\/[^/]+$/, 'must be an https origin without a path');

/** What the database alone needs: shared by the server and the admin CLI. */
export const databaseConfigShape = {
  /** Holds enclave.db (SQLite, WAL) and its -wal/-shm files. */
  ENCLAVE_DATA_DIR: absolutePath(),
  /** How often `PRAGMA quick_check` runs after the one at start-up. */
  ENCLAVE_DB_INTEGRITY_INTERVAL_MINUTES: envInteger({ min: 1, max: 7 * 24 * 60 }).default(360),
  /** log2 of scrypt's cost N for new password hashes: 17 = 128 MiB, ~0.35 s (OWASP's advice). */
  ENCLAVE_PASSWORD_SCRYPT_LOG2N: envInteger({ min: 14, max: 20 }).default(17),
};

export const controlPlaneConfigSchema = z.object({
  ...databaseConfigShape,
  ENCLAVE_BIND: z.union([z.ipv4(), z.ipv6()], 'must be an IP address to listen on').default('127.0.0.1'),
  /** Browsers and the CLI: TLS 1.3, server authentication only. */
  ENCLAVE_API_PORT: listenPort().default(8443),
  /** GPU nodes: TLS 1.3 with a client certificate of the appliance CA. */
  ENCLAVE_AGENT_PORT: listenPort().default(8444),
  /** The appliance CA directory (`enclave ca init`). */
  ENCLAVE_CA_DIR: absolutePath(),
  /** Only for root operations (re-signing the root CRL); most appliances keep the root key offline. */
  ENCLAVE_CA_PASSPHRASE_FILE: absolutePath().optional(),
  /** The control plane's own certificate (profile control-plane), key and chain (leaf + intermediate). */
  ENCLAVE_TLS_KEY_FILE: absolutePath(),
  ENCLAVE_TLS_CERT_FILE: absolutePath(),
  ENCLAVE_TLS_CHAIN_FILE: absolutePath().optional(),
  /** The agent listener re-signs and reloads the CRLs this often (they are valid 7 days). */
  ENCLAVE_CRL_REFRESH_HOURS: envInteger({ min: 1, max: 72 }).default(12),
  /**
   * Origins the browser UI is served from, for the CSRF check. Unset: the request's own
   * `https://<Host>` is the only one accepted.
   */
  ENCLAVE_PUBLIC_ORIGINS: envList(origin).optional(),
  ENCLAVE_SESSION_IDLE_MINUTES: envInteger({ min: 1, max: 24 * 60 }).default(30),
  ENCLAVE_SESSION_ABSOLUTE_HOURS: envInteger({ min: 1, max: 7 * 24 }).default(12),
  /** Consecutive failed sign-ins before an account is locked; each further failure doubles the lock. */
  ENCLAVE_LOGIN_LOCKOUT_THRESHOLD: envInteger({ min: 1, max: 100 }).default(5),
  ENCLAVE_LOGIN_LOCKOUT_BASE_SECONDS: envInteger({ min: 1, max: 86_400 }).default(60),
  ENCLAVE_LOGIN_LOCKOUT_MAX_SECONDS: envInteger({ min: 1, max: 7 * 86_400 }).default(3600),
  /** Sign-in attempts per client address per minute, whatever the account. */
  ENCLAVE_LOGIN_RATE_PER_MINUTE: envInteger({ min: 1, max: 10_000 }).default(30),
  ENCLAVE_API_TOKEN_DEFAULT_DAYS: envInteger({ min: 1, max: 365 }).default(90),
  ENCLAVE_API_TOKEN_MAX_DAYS: envInteger({ min: 1, max: 365 }).default(365),
  /** Largest JSON request body; bigger ones get 413 PAYLOAD_TOO_LARGE. Files never come as JSON. */
  ENCLAVE_BODY_LIMIT_BYTES: envInteger({ min: 1024, max: 64 * 1024 * 1024 }).default(1024 * 1024),
  ENCLAVE_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /**
   * The master key that seals the key store (keys/): a key file (32 bytes or 64 hex digits,
   * mode 0600, owned by the service user), or a file holding a passphrase stretched with
   * scrypt. Exactly one is required; start-up stops with a message naming them otherwise.
   */
  ENCLAVE_MASTER_KEY_FILE: absolutePath().optional(),
  ENCLAVE_MASTER_PASSPHRASE_FILE: absolutePath().optional(),
  /** Largest asset upload or task output (stored ciphertext); bigger ones get 413. Default 8 GiB. */
  ENCLAVE_ASSET_LIMIT_BYTES: envInteger({ min: 1024, max: 1024 * 1024 * 1024 * 1024 }).default(
    8 * 1024 * 1024 * 1024,
  ),
  /** Kafka (read by the messaging module): bootstrap servers and the control plane's client TLS files. */
  ENCLAVE_KAFKA_BOOTSTRAP: envList(hostPort).optional(),
  ENCLAVE_KAFKA_CA: absolutePath().optional(),
  ENCLAVE_KAFKA_CERT: absolutePath().optional(),
  ENCLAVE_KAFKA_KEY: absolutePath().optional(),
  /**
   * Names this control plane's outbox relay (Kafka transactional id `enclave-outbox-<id>`) and
   * its consumer's static group membership. Stable across restarts of one database; never shared
   * by two running control planes.
   */
  ENCLAVE_KAFKA_INSTANCE_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be 1-63 lower-case letters, digits or hyphens')
    .default('primary'),
  /** The consumer group reading results.* and heartbeats.*. */
  ENCLAVE_KAFKA_CONSUMER_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,100}$/, 'must be a group id')
    .default('control-plane'),
  /** What enrolled nodes are told to connect to; ENCLAVE_KAFKA_BOOTSTRAP when unset. */
  ENCLAVE_KAFKA_NODE_BOOTSTRAP: envList(hostPort).optional(),
  /** Scheduler: an assignment's lease; agents renew it in every heartbeat (a third of it is usual). */
  ENCLAVE_SCHEDULER_LEASE_MS: envInteger({ min: 1_000, max: 3_600_000 }).default(60_000),
  /** Scheduler housekeeping (lost nodes, expired leases, a placement round). */
  ENCLAVE_SCHEDULER_TICK_MS: envInteger({ min: 100, max: 60_000 }).default(5_000),
  /** A node silent this long is lost and its work requeued. */
  ENCLAVE_SCHEDULER_NODE_LOST_MS: envInteger({ min: 1_000, max: 3_600_000 }).default(30_000),
  ENCLAVE_SCHEDULER_MAX_ATTEMPTS: envInteger({ min: 1, max: 100 }).default(5),
  /** Enrollment attempts per client address per minute. */
  ENCLAVE_ENROLL_RATE_PER_MINUTE: envInteger({ min: 1, max: 10_000 }).default(10),
  /** How often an open event stream gets a keep-alive comment. */
  ENCLAVE_SSE_KEEPALIVE_SECONDS: envInteger({ min: 1, max: 300 }).default(15),
  /**
   * Days a closed account's personal data is kept after closure (privacy policy §6: "while the
   * account is active plus a period after closure"); then the retention sweep crypto-shreds it.
   */
  ENCLAVE_ACCOUNT_RETENTION_DAYS: envInteger({ min: 1, max: 36_500 }).default(DEFAULT_ACCOUNT_RETENTION_DAYS),
  /** Days a data-subject request may take (PDPL); the DPO's queue flags later ones overdue. */
  ENCLAVE_PRIVACY_DEADLINE_DAYS: envInteger({ min: 1, max: 365 }).default(30),
  /**
   * An erase order a node has not answered is sent again after this long, doubling each time
   * (and at once when the node heartbeats, if at least this long has passed since the last send).
   */
  ENCLAVE_ERASE_ORDER_RETRY_MS: envInteger({ min: 100, max: 86_400_000 }).default(900_000),
  /** Sends of one erase order in all, the first included; then it stays pending for the DPO. */
  ENCLAVE_ERASE_ORDER_MAX_ATTEMPTS: envInteger({ min: 1, max: 100 }).default(8),
  /** Hours from a breach's detection to the regulator's notification deadline (PDPL; 72 by default). */
  ENCLAVE_BREACH_NOTIFY_HOURS: envInteger({ min: 1, max: 24 * 30 }).default(72),
  /**
   * The gpu-node model manifest (the hash-pinned local models) the no-training attestation lists.
   * Unset: gpu-node/models.manifest.json of this checkout or install.
   */
  ENCLAVE_MODEL_MANIFEST_FILE: absolutePath().optional(),
  /**
   * The built web UI (`ui/dist`): served from the API listener at `/` (same origin as the API),
   * every non-API GET that is not a file falling back to its index.html. Unset: no UI.
   */
  ENCLAVE_UI_DIR: absolutePath().optional(),
});

export const databaseConfigSchema = z.object(databaseConfigShape);

export type ControlPlaneConfig = DeepReadonly<z.output<typeof controlPlaneConfigSchema>>;
export type DatabaseConfig = DeepReadonly<z.output<typeof databaseConfigSchema>>;

/** Injection token of the frozen ControlPlaneConfig. */
export const CONTROL_PLANE_CONFIG = Symbol('ControlPlaneConfig');

/** Paths of secrets count as sensitive too: they say where to look. */
const SENSITIVE = [
  'ENCLAVE_CA_PASSPHRASE_FILE',
  'ENCLAVE_MASTER_KEY_FILE',
  'ENCLAVE_MASTER_PASSPHRASE_FILE',
] as const;

export function loadControlPlaneConfig(env: Env): ControlPlaneConfig {
  return loadConfig(controlPlaneConfigSchema, env, { sensitive: SENSITIVE });
}

export function loadDatabaseConfig(env: Env): DatabaseConfig {
  return loadConfig(databaseConfigSchema, env);
}
