// The first integration test against the real broker: a contracts envelope travels over mutual
// TLS with node-rdkafka; clients without a certificate, with one from another CA, or speaking
// TLS 1.2 are refused; a valid certificate without ACLs is authenticated but not authorised.
import { CertificateAuthority } from '@enclave/certs';
import { decodeEnvelope, encodeEnvelope, jobsTopic, newEnvelope, type EnvelopeOf } from '@enclave/contracts';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ensureIdentity, openDevCa, type IdentityFiles } from '../src/kafka/dev-tls.ts';
import { probeMetadata } from '../src/kafka/metadata-probe.ts';
import {
  connectProducer,
  consumeFromStart,
  createTopic,
  disconnect,
  produceConfirmed,
  type Endpoint,
} from '../src/testing/rdkafka-test-clients.ts';

const kafka = inject('kafka');
const nodeId = `it-${randomBytes(4).toString('hex')}`;
const admin: Endpoint = { bootstrap: kafka.bootstrap, tls: kafka.admin };
let scratch = '';
let unauthorisedNode: IdentityFiles;
let foreign: IdentityFiles;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'enclave-mtls-'));
  const ca = await openDevCa(kafka.caDir);
  unauthorisedNode = await ensureIdentity(ca, join(scratch, 'node'), { profile: 'node', name: nodeId });
  const otherCa = await CertificateAuthority.init({
    dir: join(scratch, 'other-ca'),
    passphrase: 'another appliance',
  });
  // Same DN shape as ours: only the issuing CA differs.
  foreign = await ensureIdentity(otherCa, join(scratch, 'foreign'), { profile: 'operator', name: 'admin' });
  await createTopic(admin, jobsTopic(nodeId));
}, 120_000);

afterAll(async () => {
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('Kafka over mutual TLS 1.3', () => {
  it('carries a contracts envelope from producer to consumer', async () => {
    const sent: EnvelopeOf<'task.cancel'> = newEnvelope<'task.cancel'>(
      {
        type: 'task.cancel',
        nodeId,
        tenantId: 'acme-films',
        traceId: randomBytes(16).toString('hex'),
        body: { jobId: 'job-1', taskId: 'task-1', epoch: 3, reason: 'user-cancelled' },
      },
      { id: randomUUID(), now: new Date() },
    );
    const producer = await connectProducer(admin);
    try {
      const report = await produceConfirmed(producer, jobsTopic(nodeId), encodeEnvelope(sent), 'task-1');
      expect(report.topic).toBe(jobsTopic(nodeId));
    } finally {
      await disconnect(producer);
    }

    const [message] = await consumeFromStart(admin, jobsTopic(nodeId), 1);
    const received = decodeEnvelope(message?.value, { expectedTopicKind: 'jobs', expectedNodeId: nodeId });
    expect(received).toEqual(sent);
  });

  it('refuses a client without a certificate', async () => {
    const probe = await probeMetadata(kafka.bootstrap, { ca: kafka.caFile }, 5_000);
    expect(probe.ok).toBe(false);
    expect(probe.errors.join('\n')).toMatch(/SSL|certificate|handshake/i);
  });

  it('refuses a client whose certificate comes from another CA', async () => {
    const probe = await probeMetadata(
      kafka.bootstrap,
      { ca: kafka.caFile, chain: foreign.chain, key: foreign.key },
      5_000,
    );
    expect(probe.ok).toBe(false);
    expect(probe.errors.join('\n')).toMatch(/SSL|certificate|handshake/i);
  });

  it('authenticates a node certificate but denies it a topic no ACL grants', async () => {
    const node: Endpoint = {
      bootstrap: kafka.bootstrap,
      tls: { ca: kafka.caFile, chain: unauthorisedNode.chain, key: unauthorisedNode.key },
    };
    expect((await probeMetadata(node.bootstrap, node.tls)).ok).toBe(true);
    const producer = await connectProducer(node, { idempotent: false });
    try {
      await expect(produceConfirmed(producer, jobsTopic(nodeId), Buffer.from('{}'))).rejects.toThrow(
        /authori[sz]/i,
      );
    } finally {
      await disconnect(producer);
    }
  });

  it('refuses TLS 1.2 even with a valid client certificate', async () => {
    const [host = '127.0.0.1', port = '0'] = kafka.bootstrap.split(':');
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect({
        host,
        port: Number(port),
        ca: [readFileSync(kafka.caFile, 'utf8')],
        cert: readFileSync(kafka.admin.chain, 'utf8'),
        key: readFileSync(kafka.admin.key, 'utf8'),
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
        servername: 'localhost',
      });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(outcome).not.toBe('connected');
    expect(outcome).toMatch(/PROTOCOL|VERSION|ALERT|ECONNRESET/);
  });
});
