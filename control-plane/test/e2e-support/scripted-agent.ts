// A scripted GPU-node agent for the end-to-end tests: it enrolls over REST with a token and a
// CSR for its own key, then speaks Kafka with the certificate it got — reads jobs.<id> in its
// own group with read_committed, writes results.<id> and heartbeats.<id> — and follows a script
// per assignment instead of running steps. The real agent (agent/) replaces it later.
import { createCsr, generateLeafKeyPair } from '@enclave/certs';
import {
  decodeFromTopic,
  eraseReceiptSigningBytes,
  EnrollReplySchema,
  EnrollmentTokenSchema,
  encodeEnvelope,
  heartbeatsTopic,
  newEnvelope,
  resultsTopic,
  type AssetRef,
  type EnvelopeOf,
  type GpuSpec,
  type GpuTelemetry,
  type LeaseRef,
  type NewEnvelopeFields,
} from '@enclave/contracts';
import Kafka from 'node-rdkafka';
import { createHash, createPrivateKey, randomBytes, randomUUID, sign, X509Certificate } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { rdkafkaSecurity } from '../../src/messaging/rdkafka-settings.ts';
import { connectProducer, disconnect, produceConfirmed } from '../messaging-support/kafka-test-clients.ts';
import { bodyOf } from '../support/https-client.ts';
import type { TestAppliance } from '../support/test-appliance.ts';

type ResultsMessage = 'task.accepted' | 'task.progress' | 'task.succeeded';

/** What the agent does with each assignment. */
/** `hold`: accept and keep the lease (heartbeats go on) until the test calls succeed(). */
export type Script = 'complete' | 'accept-then-silent' | 'hold';

export interface EnrolledNode {
  readonly nodeId: string;
  readonly kafka: KafkaConnectionSettings;
  /** For mTLS calls to the agent listener. */
  readonly tls: { readonly ca: string; readonly cert: string; readonly key: string };
}

export async function enrollNode(
  t: TestAppliance,
  adminCookie: string,
  nodeId: string,
  dir: string,
  cpuSlots = 2,
  gpus: GpuSpec[] = [],
): Promise<EnrolledNode> {
  const minted = await t.api({
    method: 'POST',
    path: '/api/v1/nodes/enrollment-tokens',
    cookie: adminCookie,
    body: { nodeId },
  });
  const { token } = bodyOf(minted, EnrollmentTokenSchema);
  const { privateKey } = await generateLeafKeyPair('ec-p256');
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const csrPem = createCsr({ privateKeyPem: keyPem, profile: 'node', name: nodeId });
  const reply = await t.api({
    method: 'POST',
    path: '/api/v1/enroll',
    body: { token, csrPem, capabilities: { gpus, cpuSlots, tags: [] } },
  });
  const enrolled = bodyOf(reply, EnrollReplySchema);
  const files = join(dir, nodeId);
  await mkdir(files, { recursive: true });
  const tls = { ca: join(files, 'ca.pem'), chain: join(files, 'chain.pem'), key: join(files, 'key.pem') };
  await writeFile(tls.ca, enrolled.caPem);
  await writeFile(tls.chain, enrolled.chainPem);
  await writeFile(tls.key, keyPem, { mode: 0o600 });
  return {
    nodeId,
    kafka: { bootstrap: enrolled.kafka.bootstrap, tls, clientId: `node-${nodeId}` },
    tls: { ca: enrolled.caPem, cert: enrolled.chainPem, key: keyPem },
  };
}

/** Kafka settings a fault that restarts the broker changes (the defaults suit every other test). */
export interface AgentKafkaOptions {
  /** How long a report is retried before it fails (a broker restart outlasts the 10 s default). */
  readonly messageTimeoutMs?: number;
  /**
   * The jobs consumer's group session (librdkafka's 45 s by default). A member whose session
   * ran out during a broker outage rejoins under a new member id, and the restarted broker
   * waits out the old member's session before it assigns jobs.<node> again.
   */
  readonly sessionTimeoutMs?: number;
}

export class ScriptedAgent {
  readonly assigns: EnvelopeOf<'task.assign'>[] = [];
  readonly cancels: EnvelopeOf<'task.cancel'>[] = [];
  /** Every erase.order received, redeliveries and re-sends included. */
  readonly eraseOrders: EnvelopeOf<'erase.order'>[] = [];
  #answerErase = false;
  readonly #leases = new Map<string, LeaseRef>();
  #consumer: Kafka.KafkaConsumer | null = null;
  #producer: Kafka.Producer | null = null;
  #timer: NodeJS.Timeout | null = null;
  #silent = false;
  #running = false;
  #loop: Promise<void> | null = null;
  readonly #runs = new Set<Promise<void>>();

  constructor(
    readonly node: EnrolledNode,
    private readonly script: Script,
    /** GPU telemetry each heartbeat reports (the UI's fleet view shows it). */
    private readonly gpus: GpuTelemetry[] = [],
    private readonly options: AgentKafkaOptions = {},
  ) {}

  get nodeId(): string {
    return this.node.nodeId;
  }

  async start(): Promise<void> {
    this.#producer = await connectProducer(this.node.kafka, {
      idempotent: true,
      messageTimeoutMs: this.options.messageTimeoutMs,
    });
    const consumer = new Kafka.KafkaConsumer(
      {
        ...rdkafkaSecurity(this.node.kafka, 'agent'),
        'group.id': `node-${this.nodeId}`,
        'enable.auto.commit': true,
        'isolation.level': 'read_committed',
        ...(this.options.sessionTimeoutMs !== undefined
          ? { 'session.timeout.ms': this.options.sessionTimeoutMs }
          : {}),
      },
      { 'auto.offset.reset': 'earliest' },
    );
    await new Promise<void>((resolve, reject) =>
      consumer.connect({ timeout: 10_000 }, (err) => (err ? reject(new Error(err.message)) : resolve())),
    );
    consumer.setDefaultConsumeTimeout(200);
    consumer.subscribe([`jobs.${this.nodeId}`]);
    this.#consumer = consumer;
    this.#running = true;
    this.#loop = this.#consume();
    await this.heartbeat();
    this.#timer = setInterval(() => {
      if (!this.#silent) this.heartbeat().catch(() => undefined);
    }, 1_000);
  }

  /** Stops heartbeating and answering: a crashed or cut-off node. */
  goSilent(): void {
    this.#silent = true;
  }

  /** Heartbeats and answers again: the node is back. */
  resume(): void {
    this.#silent = false;
  }

  /**
   * Whether erase orders get a receipt signed with the node's key (ES256, its enrolled
   * certificate carried), as the real agent sends after erasing. Off by default: orders are only
   * recorded.
   */
  answerEraseOrders(on = true): void {
    this.#answerErase = on;
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearInterval(this.#timer);
    await this.#loop;
    if (this.#consumer) await disconnect(this.#consumer);
    if (this.#producer) await disconnect(this.#producer);
  }

  heartbeat(): Promise<Kafka.DeliveryReport> {
    return this.#send(heartbeatsTopic(this.nodeId), {
      type: 'node.heartbeat',
      nodeId: this.nodeId,
      tenantId: null,
      traceId: traceId(),
      body: {
        state: 'ready',
        agentVersion: '0.1.0-scripted',
        wireRevision: 1,
        // Never below 0 (the contract refuses it): a node enrolled with more slots holds more leases.
        slots: { total: 2, free: Math.max(0, 2 - this.#leases.size) },
        // A real node holds at most 64 (the contract's bound); this one runs whatever it is sent,
        // and during a broker outage its finished leases wait for their reports to go out.
        leases: [...this.#leases.values()].slice(0, 64),
        telemetry: {
          cpu: { cores: 2, utilisationPct: 12 },
          mem: { totalMb: 4096, usedMb: 512 },
          scratchFreeMb: 10_000,
          gpus: this.gpus,
          egress: { since: new Date(0).toISOString(), allowedBytes: 0, blockedConnections: 0 },
        },
      },
    });
  }

  /** A result for an assignment (also a late one, after the node was written off). */
  report(
    assign: EnvelopeOf<'task.assign'>,
    type: 'task.accepted' | 'task.progress' | 'task.succeeded',
    fraction = 0.5,
  ): Promise<Kafka.DeliveryReport> {
    const ref = { jobId: assign.body.jobId, taskId: assign.body.taskId, epoch: assign.body.epoch };
    const common = { nodeId: this.nodeId, tenantId: assign.tenantId, traceId: assign.traceId };
    const message: NewEnvelopeFields<ResultsMessage> =
      type === 'task.accepted'
        ? { ...common, type, body: ref }
        : type === 'task.progress'
          ? { ...common, type, body: { ...ref, fraction, stage: 'scripted' } }
          : {
              ...common,
              type,
              body: { ...ref, outputs: outputsOf(assign), metrics: { durationMs: 5, steps: [] } },
            };
    return this.#send(resultsTopic(this.nodeId), message);
  }

  /** Reports a held assignment succeeded with these outputs, and gives its lease up. */
  async succeed(assign: EnvelopeOf<'task.assign'>, outputs: AssetRef[]): Promise<void> {
    const ref = { jobId: assign.body.jobId, taskId: assign.body.taskId, epoch: assign.body.epoch };
    await this.#send(resultsTopic(this.nodeId), {
      nodeId: this.nodeId,
      tenantId: assign.tenantId,
      traceId: assign.traceId,
      type: 'task.succeeded',
      body: { ...ref, outputs, metrics: { durationMs: 5, steps: [] } },
    });
    this.#leases.delete(`${ref.taskId}#${ref.epoch}`);
  }

  async #run(assign: EnvelopeOf<'task.assign'>): Promise<void> {
    const lease = { taskId: assign.body.taskId, epoch: assign.body.epoch };
    this.#leases.set(`${lease.taskId}#${lease.epoch}`, lease);
    if (this.script === 'complete') {
      // Produced back to back (one producer, one partition: the order holds), confirmed together.
      await Promise.all([
        this.report(assign, 'task.accepted'),
        this.report(assign, 'task.progress', 0.4),
        this.report(assign, 'task.progress', 0.9),
        this.report(assign, 'task.succeeded'),
      ]);
      this.#leases.delete(`${lease.taskId}#${lease.epoch}`);
      return;
    }
    await this.report(assign, 'task.accepted');
    if (this.script === 'accept-then-silent') {
      this.goSilent();
      return;
    }
    if (this.script === 'hold') return;
    await this.report(assign, 'task.progress', 0.4);
    await this.report(assign, 'task.progress', 0.9);
    await this.report(assign, 'task.succeeded');
    this.#leases.delete(`${lease.taskId}#${lease.epoch}`);
  }

  async #consume(): Promise<void> {
    while (this.#running && this.#consumer) {
      // Waits for a first record, then takes what is already fetched (as the control plane's
      // consumer does): one consume(10) would wait 200 ms after every record until it has 10.
      const batch = await this.#next(1, 200);
      if (batch.length > 0) batch.push(...(await this.#next(9, 5)));
      for (const record of batch) {
        const message = decodeFromTopic(record.topic, record.value);
        if (message.type === 'task.assign') {
          this.assigns.push(message);
          if (this.#silent) continue;
          // Assignments run side by side, as a real agent's slots do ('complete' only: the other
          // scripts go quiet or wait for the test).
          if (this.script === 'complete') this.#track(this.#run(message));
          else await this.#run(message);
        } else if (message.type === 'task.cancel') {
          this.cancels.push(message);
          // As the real agent does: the cancelled run ends, its slot is free again.
          this.#leases.delete(`${message.body.taskId}#${message.body.epoch}`);
        } else if (message.type === 'erase.order') {
          this.eraseOrders.push(message);
          if (this.#answerErase && !this.#silent) await this.#eraseReceipt(message);
        }
      }
    }
    await Promise.all(this.#runs);
  }

  /** A receipt the way the agent signs it: every ordered key `erased`, ES256 with the node key. */
  #eraseReceipt(order: EnvelopeOf<'erase.order'>): Promise<Kafka.DeliveryReport> {
    const unsigned = {
      orderId: order.body.orderId,
      items: order.body.keyIds.map((keyId) => ({ keyId, outcome: 'erased' as const, files: 1, bytes: 1 })),
      completedAt: new Date().toISOString(),
    };
    const bytes = eraseReceiptSigningBytes({ nodeId: this.nodeId, tenantId: order.tenantId, body: unsigned });
    // The chain starts with the node's own certificate.
    const certificatePem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/.exec(
      this.node.tls.cert,
    )![0];
    const signature = sign('sha256', bytes, {
      key: createPrivateKey(this.node.tls.key),
      dsaEncoding: 'ieee-p1363',
    });
    return this.#send(resultsTopic(this.nodeId), {
      type: 'erase.receipt',
      nodeId: this.nodeId,
      tenantId: order.tenantId,
      traceId: traceId(),
      body: {
        ...unsigned,
        signature: {
          alg: 'ES256',
          certSha256: createHash('sha256').update(new X509Certificate(certificatePem).raw).digest('hex'),
          value: signature.toString('base64url'),
          certificatePem,
        },
      },
    });
  }

  #next(max: number, timeoutMs: number): Promise<Kafka.Message[]> {
    this.#consumer!.setDefaultConsumeTimeout(timeoutMs);
    return new Promise((resolve) =>
      this.#consumer!.consume(max, (err, messages) => resolve(err ? [] : messages)),
    );
  }

  #track(run: Promise<void>): void {
    const tracked = run.catch(() => undefined).finally(() => this.#runs.delete(tracked));
    this.#runs.add(tracked);
  }

  #send(
    topic: string,
    fields:
      | NewEnvelopeFields<ResultsMessage>
      | NewEnvelopeFields<'node.heartbeat'>
      | NewEnvelopeFields<'erase.receipt'>,
  ) {
    const envelope = newEnvelope<ResultsMessage | 'node.heartbeat' | 'erase.receipt'>(fields, {
      id: randomUUID(),
      now: new Date(),
    });
    return produceConfirmed(this.#producer!, topic, encodeEnvelope(envelope), this.nodeId);
  }
}

/** What a task would upload: each step's `output`, and the files faces.anonymise rewrites. */
function outputsOf(assign: EnvelopeOf<'task.assign'>): AssetRef[] {
  const names = new Set<string>();
  for (const step of assign.body.steps) {
    const output = step.params['output'];
    if (typeof output === 'string') names.add(output);
    const files = step.params['files'];
    if (step.step === 'faces.anonymise' && Array.isArray(files)) {
      for (const f of files) if (typeof f === 'string') names.add(f);
    }
  }
  return [...names].map((file) => ({
    name: file,
    assetId: `out-${randomBytes(8).toString('hex')}`,
    mediaType: 'application/octet-stream',
    sizeBytes: 1,
    sha256: createHash('sha256').update(file).digest('hex'),
  }));
}

function traceId(): string {
  return randomBytes(16).toString('hex');
}
