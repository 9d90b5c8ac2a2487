// The fleet half of the load benchmark (bench/load.ts): simulated nodes that only heartbeat.
//
// Each simulated node is enrolled over REST like a real agent (token, EC P-256 key, CSR) and
// heartbeats with its own certificate: the broker's ACLs let a node write only heartbeats.<node>
// under its own identity, so one librdkafka producer cannot speak for several nodes, and every
// node needs its own client (TLS session, librdkafka threads). What the simulator saves against
// ScriptedAgent is the rest: no consumer on jobs.<node>, no idempotent producer, no delivery
// reports (a heartbeat is fire-and-forget, as in the agent), and a 1 s poll instead of 10 ms.
//
// Heartbeats go every `intervalMs` (the agent's default is 10 s), each node at its own phase.
// The simulator knows each envelope's id and send time; the control plane writes the id and
// the time it applied the message to inbox_message in the transaction that applies it, so the
// lag of every heartbeat is read from the SQLite file, not guessed from polling.
import {
  EnrollReplySchema,
  EnrollmentTokenSchema,
  encodeEnvelope,
  heartbeatsTopic,
  newEnvelope,
} from '@enclave/contracts';
import { createCsr, generateLeafKeyPair } from '@enclave/certs';
import Kafka from 'node-rdkafka';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { rdkafkaSecurity } from '../../src/messaging/rdkafka-settings.ts';
import type { EnrolledNode } from '../e2e-support/scripted-agent.ts';
import type { ControlPlaneProcess } from '../faults/support/control-plane-process.ts';
import { disconnect } from '../messaging-support/kafka-test-clients.ts';
import { bodyOf } from '../support/https-client.ts';

type Api = ControlPlaneProcess['api'];

/** enrollNode of the e2e support, against any control plane's API (here: the child process). */
export async function enrollSimNode(
  api: Api,
  adminCookie: string,
  nodeId: string,
  dir: string,
): Promise<EnrolledNode> {
  const minted = await api({
    method: 'POST',
    path: '/api/v1/nodes/enrollment-tokens',
    cookie: adminCookie,
    body: { nodeId },
  });
  const { token } = bodyOf(minted, EnrollmentTokenSchema);
  // EC P-256: 1,000 RSA-3072 keys would take minutes and measure OpenSSL's keygen.
  const { privateKey } = await generateLeafKeyPair('ec-p256');
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const csrPem = createCsr({ privateKeyPem: keyPem, profile: 'node', name: nodeId });
  const reply = await api({
    method: 'POST',
    path: '/api/v1/enroll',
    body: { token, csrPem, capabilities: { gpus: [], cpuSlots: 2, tags: [] } },
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

export class HeartbeatSim {
  /** Envelope id → send time (epoch ms) of every heartbeat produced. */
  readonly sent = new Map<string, number>();
  produceErrors = 0;
  #producer: Kafka.Producer | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(readonly node: EnrolledNode) {}

  async connect(): Promise<void> {
    const producer = new Kafka.Producer(
      { ...rdkafkaSecurity(this.node.kafka, 'agent'), 'enable.idempotence': false, event_cb: true },
      { 'message.timeout.ms': 10_000 },
    );
    producer.on('event.error', () => undefined);
    await new Promise<void>((resolve, reject) =>
      producer.connect({ timeout: 30_000 }, (err) => (err ? reject(new Error(err.message)) : resolve())),
    );
    // No delivery reports are asked for: polling only serves librdkafka's error events.
    producer.setPollInterval(1_000);
    this.#producer = producer;
  }

  /** Heartbeats every `intervalMs`, the first after `offsetMs` (spreads the fleet's phases). */
  start(intervalMs: number, offsetMs: number): void {
    this.#timer = setTimeout(() => {
      this.#beat();
      this.#timer = setInterval(() => this.#beat(), intervalMs);
    }, offsetMs);
  }

  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#producer) await disconnect(this.#producer);
  }

  #beat(): void {
    const id = randomUUID();
    const now = new Date();
    const envelope = newEnvelope<'node.heartbeat'>(
      {
        type: 'node.heartbeat',
        nodeId: this.node.nodeId,
        tenantId: null,
        traceId: randomBytes(16).toString('hex'),
        body: {
          // 'starting': listed online, but never given work — the API phase leaves queued jobs
          // behind, and a simulated node must not be handed tasks it would never run.
          state: 'starting',
          agentVersion: '0.1.0-load-sim',
          wireRevision: 1,
          slots: { total: 2, free: 2 },
          leases: [],
          telemetry: {
            cpu: { cores: 2, utilisationPct: 12 },
            mem: { totalMb: 4096, usedMb: 512 },
            scratchFreeMb: 10_000,
            gpus: [],
            egress: { since: new Date(0).toISOString(), allowedBytes: 0, blockedConnections: 0 },
          },
        },
      },
      { id, now },
    );
    this.sent.set(id, now.getTime());
    try {
      this.#producer!.produce(
        heartbeatsTopic(this.node.nodeId),
        null,
        encodeEnvelope(envelope),
        this.node.nodeId,
        now.getTime(),
      );
    } catch {
      this.produceErrors++;
    }
  }
}

/** When the control plane applied each heartbeat (inbox_message), read-only from its SQLite file. */
export function appliedHeartbeats(dbFile: string, sinceMs: number): Map<string, number> {
  const db = new DatabaseSync(dbFile, { readOnly: true });
  try {
    const rows = db
      .prepare("select message_id as id, applied_at as at from inbox_message where type = 'node.heartbeat'")
      .all() as unknown as { id: string; at: number | string }[];
    const applied = new Map<string, number>();
    for (const row of rows) {
      const at = typeof row.at === 'number' ? row.at : Date.parse(row.at);
      if (at >= sinceMs) applied.set(row.id, at);
    }
    return applied;
  } finally {
    db.close();
  }
}

export interface HeartbeatWindow {
  /** Heartbeats the simulators sent in the window. */
  readonly sent: number;
  /** Of those, applied by the control plane by the end of the grace period. */
  readonly applied: number;
  /** Heartbeats the control plane applied within the window (any send time), per second. */
  readonly appliedPerSecond: number;
  readonly lagP50Ms: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
}

/** Heartbeats sent in [fromMs, toMs] against what the control plane applied. */
export function heartbeatWindow(
  sims: readonly HeartbeatSim[],
  applied: ReadonlyMap<string, number>,
  fromMs: number,
  toMs: number,
): HeartbeatWindow {
  const lags: number[] = [];
  let sent = 0;
  for (const sim of sims) {
    for (const [id, at] of sim.sent) {
      if (at < fromMs || at > toMs) continue;
      sent++;
      const appliedAt = applied.get(id);
      if (appliedAt !== undefined) lags.push(Math.max(0, appliedAt - at));
    }
  }
  let inWindow = 0;
  for (const at of applied.values()) if (at >= fromMs && at <= toMs) inWindow++;
  lags.sort((a, b) => a - b);
  const pick = (p: number) =>
    lags.length === 0 ? Number.NaN : lags[Math.min(lags.length - 1, Math.ceil((p / 100) * lags.length) - 1)]!;
  return {
    sent,
    applied: lags.length,
    appliedPerSecond: Math.round((inWindow / ((toMs - fromMs) / 1000)) * 10) / 10,
    lagP50Ms: pick(50),
    lagP99Ms: pick(99),
    lagMaxMs: lags.at(-1) ?? Number.NaN,
  };
}
