// Issue #5 against the real broker: after a certificate renewal the agent rebuilds its producer
// and jobs consumer from the new files while jobs keep arriving and results keep going out.
// Every job is handled exactly once, every publish is delivered, and a rebuild from files the
// client cannot use fails without stopping the clients that run on the previous certificate.
import { encodeEnvelope, jobsTopic, partitionKey, resultsTopic, type Envelope } from '@enclave/contracts';
import { ensureIdentity, openDevCa } from '@enclave/devkit';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JobsConsumer } from '../src/kafka/jobs-consumer.ts';
import { KafkaClientsRebuilder } from '../src/kafka/kafka-clients.rebuilder.ts';
import type { KafkaLinkSettings } from '../src/kafka/kafka-settings.ts';
import { RdkafkaPublisher } from '../src/kafka/rdkafka-publisher.ts';
import type { DeliveryOutcome } from '../src/outbox/publisher.ts';
import { memoryLogger } from '../src/support/logger.ts';
import { systemTimers } from '../src/support/timers.ts';
import { assignEnvelope } from './fixtures.ts';
import { adminLink, createTopics, kafkaContext, readAll } from './kafka-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'agent-rebuild-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A fresh certificate and key for the broker's super user `operator-admin`, as the other agent
 * Kafka tests use: the node's ACLs are the control plane's business.
 */
async function issue(name: string): Promise<{ chain: string; key: string; ca: string; serial: string }> {
  const ca = await openDevCa(kafkaContext().caDir);
  const files = await ensureIdentity(ca, join(dir, name), { profile: 'operator', name: 'admin' });
  return { ...files, serial: new X509Certificate(readFileSync(files.cert)).serialNumber };
}

/** What StateDir.writeCertificate does on a renewal: the files at the same paths change. */
function install(link: KafkaLinkSettings, files: { chain: string; key: string; ca: string }): void {
  copyFileSync(files.ca, link.caFile);
  copyFileSync(files.chain, link.chainFile);
  copyFileSync(files.key, link.keyFile);
}

describe('Kafka clients rebuilt after a certificate renewal', () => {
  it('keeps consuming and publishing across the rebuild, handling each job once', async () => {
    const kafka = kafkaContext();
    const node = `gpu-rebuild-${Date.now().toString(36)}`;
    await createTopics(adminLink(kafka), [jobsTopic(node), resultsTopic(node)]);
    const link: KafkaLinkSettings = {
      bootstrap: kafka.bootstrap,
      caFile: join(dir, 'ca.pem'),
      chainFile: join(dir, 'chain.pem'),
      keyFile: join(dir, 'key.pem'),
      clientId: `node-${node}`,
    };
    const first = await issue('first');
    install(link, first);

    const publisher = new RdkafkaPublisher(link);
    const consumer = new JobsConsumer(link, node);
    const handled: string[] = [];
    const problems: string[] = [];
    await consumer.start({
      onMessage: (envelope: Envelope) => void handled.push(envelope.id),
      onRejected: (error) => problems.push(String(error)),
      onFatal: (error) => problems.push(String(error)),
    });
    const logger = memoryLogger();
    const rebuilder = new KafkaClientsRebuilder({
      clients: [
        { name: 'producer', rebuild: () => publisher.rebuild() },
        { name: 'jobs consumer', rebuild: () => consumer.rebuild() },
      ],
      timers: systemTimers,
      logger,
      retryMs: 60_000,
    });
    const sent: string[] = [];
    const publishJobs = async (count: number): Promise<DeliveryOutcome[]> => {
      const envelopes = Array.from({ length: count }, (_, i) => ({
        ...assignEnvelope({ taskId: `t-${sent.length + i}` }),
        nodeId: node,
      }));
      sent.push(...envelopes.map((e) => e.id));
      return publisher.publish(
        envelopes.map((e) => ({ topic: jobsTopic(node), key: partitionKey(e), value: encodeEnvelope(e) })),
      );
    };

    try {
      expect(await publishJobs(5)).toEqual(Array.from({ length: 5 }, () => ({ ok: true })));
      await waitFor('the first jobs', () => handled.length === 5);

      // The renewal: new key and certificate at the same paths, then the rebuild, while jobs
      // are still being published through the producer that is being replaced.
      const second = await issue('second');
      expect(second.serial).not.toBe(first.serial);
      install(link, second);
      const during = publishJobs(20);
      await rebuilder.certificateChanged();
      expect(await during).toEqual(Array.from({ length: 20 }, () => ({ ok: true })));
      expect(logger.lines.filter((l) => l.level === 'info').map((l) => l.fields['client'])).toEqual([
        'producer',
        'jobs consumer',
      ]);
      expect(await publishJobs(5)).toEqual(Array.from({ length: 5 }, () => ({ ok: true })));
      await waitFor('every job', () => handled.length >= 30);

      // Files the client cannot load: the rebuild fails, and the running clients (on the
      // second certificate) go on; the retry is armed.
      writeFileSync(link.keyFile, 'not a key\n');
      await rebuilder.certificateChanged();
      expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.fields['client'])).toEqual([
        'producer',
        'jobs consumer',
      ]);
      install(link, second);
      expect(await publishJobs(5)).toEqual(Array.from({ length: 5 }, () => ({ ok: true })));
      await waitFor('the jobs after the failed rebuild', () => handled.length >= 35);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // room for a stray redelivery
    } finally {
      await rebuilder.stop();
      await consumer.stop();
      await publisher.close();
    }

    expect(problems).toEqual([]);
    // Each job once, in the order published (one partition).
    expect(handled).toEqual(sent);
    const onKafka = await readAll(adminLink(kafka), jobsTopic(node), sent.length, 1_000);
    expect(onKafka).toHaveLength(sent.length);
  }, 120_000);
});
