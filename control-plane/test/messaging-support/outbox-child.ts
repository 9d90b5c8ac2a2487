// A control-plane stand-in for crash tests, run as a separate Node process (plain type
// stripping, no vitest) so a test can SIGKILL it at any moment. It submits jobs (job row +
// outbox row in one transaction, idempotent by key) while its relay publishes them.
//
// stdout protocol, one line each: `ready`, `try <key>`, `ack <key>`, `committed <n>`, `marked <n>`,
// `drained`.
// Configuration: the JSON of OutboxChildConfig in ENCLAVE_HARNESS.
import { randomUUID } from 'node:crypto';
import { messagingSettings } from '../../src/messaging/messaging.config.ts';
import type { KafkaConnectionSettings } from '../../src/messaging/messaging.config.ts';
import { createOutboxRelay } from '../../src/messaging/messaging.factories.ts';
import { OutboxSignal } from '../../src/messaging/outbox-signal.ts';
import { OutboxStore } from '../../src/messaging/outbox.store.ts';
import { OutboxService } from '../../src/messaging/outbox.service.ts';
import { taskAssign } from './envelopes.ts';
import { HarnessJob } from './harness-job.entity.ts';
import { openOrm } from './test-database.ts';

export interface OutboxChildConfig {
  dbFile: string;
  kafka: KafkaConnectionSettings;
  instanceId: string;
  nodeId: string;
  /** Jobs `<nodeId>-0` … `<nodeId>-<n-1>` to make sure exist; 0 to only relay. */
  submissions: number;
  /** SIGKILL this process as soon as a batch is committed on Kafka, before it is marked. */
  crashAfterCommit: boolean;
  batchSize: number;
  /** Widens the window between a batch's Kafka commit and its SQLite mark, so kills land in it. */
  commitToMarkDelayMs: number;
}

const config = JSON.parse(process.env['ENCLAVE_HARNESS'] ?? '{}') as OutboxChildConfig;
const say = (line: string) => process.stdout.write(`${line}\n`);
const clock = () => new Date();
const logger = {
  log: (m: string) => process.stderr.write(`log ${m}\n`),
  warn: (m: string) => process.stderr.write(`warn ${m}\n`),
  error: (m: string) => process.stderr.write(`error ${m}\n`),
};

const orm = await openOrm(config.dbFile, [HarnessJob]);
const signal = new OutboxSignal();
const outbox = new OutboxService(clock, signal);
const relay = createOutboxRelay({
  em: orm.em,
  settings: messagingSettings({
    kafka: config.kafka,
    relay: { instanceId: config.instanceId, batchSize: config.batchSize, pollIntervalMs: 50 },
  }),
  signal,
  clock,
  logger,
  observer: {
    async batchCommitted(ids) {
      say(`committed ${ids.length}`);
      if (config.crashAfterCommit) process.kill(process.pid, 'SIGKILL');
      if (config.commitToMarkDelayMs > 0) await new Promise((r) => setTimeout(r, config.commitToMarkDelayMs));
    },
    batchMarked(ids) {
      say(`marked ${ids.length}`);
    },
  },
});
relay.start();
say('ready');

// Like a client retrying with its idempotency key: a key that exists is already accepted.
for (let i = 0; i < config.submissions; i++) {
  const key = `${config.nodeId}-${i}`;
  say(`try ${key}`);
  await orm.em.fork().transactional(async (em) => {
    if (await em.findOne(HarnessJob, { idempotencyKey: key })) return;
    const assignmentId = randomUUID();
    em.create(HarnessJob, { idempotencyKey: key, assignmentId, createdAt: clock() });
    outbox.enqueue(em, taskAssign(config.nodeId, `task-${i}`, assignmentId));
  });
  say(`ack ${key}`);
  // Spread the submissions over time, so kills land among them and among the relay's batches.
  if (i % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 1));
}

const store = new OutboxStore(orm.em, clock);
while ((await store.countPending()) > 0) await new Promise((resolve) => setTimeout(resolve, 50));
say('drained');
await relay.stop();
await orm.close();
