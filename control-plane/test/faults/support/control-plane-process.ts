// The control plane of the fault suite as a real child process (control-plane-child.ts, the
// built dist) on fixed ports of the suite's range, a real SQLite file in a temp directory and
// the shared real broker. start() waits for both listeners; kill9() is SIGKILL; the same
// directory, ports, Kafka instance id and consumer group survive every restart, as on an
// appliance whose service manager restarts the process.
import { join } from 'node:path';
import { runChild, type ChildRun } from '../../messaging-support/child-process.ts';
import { kafkaContext, type KafkaTestContext } from '../../messaging-support/kafka-context.ts';
import { httpsCall, type HttpReply, type HttpRequest } from '../../support/https-client.ts';

const CHILD = join(import.meta.dirname, '..', 'control-plane-child.ts');

export interface FaultPorts {
  readonly api: number;
  readonly agent: number;
}

/** Node ids of one run start with `fault-<run>-`: the subscription and cleanup key on it. */
export const faultNodePrefix = (run: string): string => `fault-${run}-`;

/**
 * The ENCLAVE_* settings of a fault run's setup appliance (fault-setup.ts), which the child
 * then starts on: the data directory, CA copy, broker identity, instance id and consumer group.
 * `kafka`: the broker, the shared one unless a fault brings its own (private-broker.ts).
 */
export function faultEnv(
  dir: string,
  run: string,
  ports: FaultPorts,
  kafka: KafkaTestContext = kafkaContext(),
): Record<string, string> {
  return {
    ENCLAVE_DATA_DIR: join(dir, 'data'),
    // Created by the in-process setup appliance (test-appliance devMasterKey); the child reuses it.
    ENCLAVE_MASTER_KEY_FILE: join(dir, 'data', 'master.key'),
    ENCLAVE_CA_DIR: join(dir, 'ca'),
    ENCLAVE_TLS_KEY_FILE: join(dir, 'tls', 'key.pem'),
    ENCLAVE_TLS_CERT_FILE: join(dir, 'tls', 'cert.pem'),
    ENCLAVE_TLS_CHAIN_FILE: join(dir, 'tls', 'chain.pem'),
    ENCLAVE_BIND: '127.0.0.1',
    ENCLAVE_API_PORT: String(ports.api),
    ENCLAVE_AGENT_PORT: String(ports.agent),
    ENCLAVE_PASSWORD_SCRYPT_LOG2N: '14',
    ENCLAVE_LOGIN_RATE_PER_MINUTE: '10000',
    ENCLAVE_ENROLL_RATE_PER_MINUTE: '10000',
    ENCLAVE_LOG_LEVEL: 'warn',
    ENCLAVE_KAFKA_BOOTSTRAP: kafka.bootstrap,
    ENCLAVE_KAFKA_CA: kafka.caFile,
    ENCLAVE_KAFKA_CERT: kafka.controlPlane.chain,
    ENCLAVE_KAFKA_KEY: kafka.controlPlane.key,
    ENCLAVE_KAFKA_INSTANCE_ID: `fault-${run}`,
    ENCLAVE_KAFKA_CONSUMER_GROUP: `cp-fault-${run}`,
    ENCLAVE_SCHEDULER_TICK_MS: '500',
  };
}

/** The messaging knobs main.js does not read from the environment (see control-plane-child.ts). */
export function faultMessaging(run: string) {
  const prefix = faultNodePrefix(run);
  return {
    subscription: [`^results\\.${prefix}.+`, `^heartbeats\\.${prefix}.+`],
    metadataRefreshMs: 500,
    relayPollIntervalMs: 100,
  };
}

export class ControlPlaneProcess {
  #child: ChildRun | null = null;
  starts = 0;
  kills = 0;
  /** Milliseconds from spawn to both listeners up, per start. */
  readonly startMs: number[] = [];

  readonly #env: Record<string, string>;

  /** `env`: the seeded appliance's settings; the ports and `overrides` are laid over them. */
  constructor(
    env: Record<string, string>,
    private readonly messaging: object,
    readonly ports: FaultPorts,
    readonly caPem: string,
    overrides: Record<string, string> = {},
  ) {
    this.#env = {
      ...env,
      ENCLAVE_API_PORT: String(ports.api),
      ENCLAVE_AGENT_PORT: String(ports.agent),
      ENCLAVE_LOG_LEVEL: 'warn',
      ...overrides,
    };
  }

  /** The running child's process id (the load benchmark reads its RSS from /proc). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  async start(timeoutMs = 60_000): Promise<void> {
    if (this.#child !== null) throw new Error('the control plane is already running');
    const t0 = performance.now();
    const child = runChild(CHILD, { ...this.#env, ENCLAVE_FAULT_MESSAGING: JSON.stringify(this.messaging) });
    this.#child = child;
    try {
      await child.waitForLine(/^fault-child ready /, timeoutMs);
    } catch (error) {
      await child.kill9();
      this.#child = null;
      throw error;
    }
    this.starts++;
    this.startMs.push(performance.now() - t0);
  }

  /** kill -9: no shutdown hook runs, open transactions and in-flight requests die with it. */
  async kill9(): Promise<void> {
    const child = this.#child;
    if (child === null) return;
    this.#child = null;
    await child.kill9();
    this.kills++;
  }

  /** A clean SIGTERM shutdown (the end of a run). */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === null) return;
    this.#child = null;
    await child.terminate();
  }

  /** One HTTPS request to the API listener; a signed-in caller passes its session cookie. */
  api(request: Omit<HttpRequest, 'port' | 'tls'> & { cookie?: string }): Promise<HttpReply> {
    const { cookie, headers, ...rest } = request;
    const unsafe = (request.method ?? 'GET') !== 'GET';
    return httpsCall({
      ...rest,
      port: this.ports.api,
      tls: { ca: this.caPem },
      headers: {
        ...(cookie !== undefined ? { cookie: `__Host-enclave_session=${cookie}` } : {}),
        ...(cookie !== undefined && unsafe ? { origin: `https://127.0.0.1:${this.ports.api}` } : {}),
        ...headers,
      },
    });
  }

  /** The running child's stdout lines (its JSON log) so far. */
  logLines(): readonly string[] {
    return this.#child?.lines ?? [];
  }

  /** The child's last stderr lines, for a failure message. */
  stderrTail(): string {
    return this.#child?.stderr.slice(-20).join('\n') ?? '';
  }
}
