// A private real broker for a fault that stops the broker itself: devkit's dev broker on its
// own port (ENCLAVE_KAFKA_PORT) and its own dev directory (ENCLAVE_DEV_DIR, with its own CA),
// so the shared broker on 19093 that other suites use is never touched. stop() is a clean
// SIGTERM (devkit's stopDevBroker, which waits for the exit); kill9() is SIGKILL of the pid
// devkit started; start() starts it again on the same storage and waits until metadata answers
// over mutual TLS.
import { startDevBroker, stopDevBroker, type DevBroker } from '@enclave/devkit';
import { readFileSync } from 'node:fs';
import type { KafkaTestContext } from '../../messaging-support/kafka-context.ts';

/** True while `pid` exists and is not a zombie (a SIGKILLed broker before it is reaped). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export class PrivateBroker {
  readonly #env: NodeJS.ProcessEnv;
  #broker: DevBroker | null = null;
  /** Milliseconds from spawn until metadata answered, per start. */
  readonly startMs: number[] = [];

  constructor(port: number, devDir: string) {
    this.#env = { ...process.env, ENCLAVE_KAFKA_PORT: String(port), ENCLAVE_DEV_DIR: devDir };
  }

  get running(): boolean {
    return this.#broker !== null;
  }

  async start(): Promise<DevBroker> {
    if (this.#broker !== null) throw new Error('the private broker is already running');
    const t0 = performance.now();
    this.#broker = await startDevBroker({
      env: this.#env,
      log: (line) => console.error(`[private kafka] ${line}`),
      readyTimeoutMs: 120_000,
    });
    this.startMs.push(performance.now() - t0);
    return this.#broker;
  }

  /**
   * SIGTERM: a controlled shutdown (devkit escalates to SIGKILL after 30 s). Also after a start
   * that failed half-way: devkit finds the process by its pid file and config, never another.
   */
  async stop(): Promise<void> {
    this.#broker = null;
    await stopDevBroker({ env: this.#env });
  }

  /** SIGKILL: no controlled shutdown, logs and transaction state are recovered at the next start. */
  async kill9(): Promise<void> {
    const broker = this.#broker;
    if (broker === null) return;
    this.#broker = null;
    process.kill(broker.pid, 'SIGKILL');
    while (alive(broker.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** The broker as the Kafka context the fault support takes (the shared one's shape). */
  context(): KafkaTestContext {
    const broker = this.#broker;
    if (broker === null) throw new Error('the private broker is not running');
    return {
      bootstrap: broker.bootstrap,
      caFile: broker.caFile,
      admin: broker.admin,
      controlPlane: broker.controlPlane,
      caDir: broker.paths.caDir,
      envFile: broker.paths.kafkaEnvFile,
    };
  }
}
