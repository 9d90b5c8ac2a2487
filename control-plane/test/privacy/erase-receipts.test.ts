// Node erase receipts (issue #7 item 2): an erasure orders the node that ran the subject's job
// to forget its copies; a receipt signed with that node's real key and CA-issued certificate is
// recorded, audited and embedded in the erasure certificate (which the offline verifier checks,
// receipts included); forged, mis-addressed, tampered and revoked-key receipts are refused and
// audited.
// Real SQLite, real appliance CA, real TLS, the real `bin/enclave` verifier process.
import {
  AuditAction,
  ErasureCertificateSchema,
  JobDetailSchema,
  PrivacyRequestSchema,
  ProjectSchema,
  decodeEnvelope,
  eraseReceiptSigningBytes,
  jobsTopic,
  newEnvelope,
  type EnvelopeOf,
  type ErasureCertificate,
} from '@enclave/contracts';
import { MikroORM } from '@mikro-orm/sqlite';
import { execFile } from 'node:child_process';
import {
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  sign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntryRecord } from '../../src/audit/audit-entry.entity.ts';
import { AuditSigningKey } from '../../src/audit/audit-signing-key.ts';
import { OutboxMessage } from '../../src/messaging/outbox-message.entity.ts';
import { NodeEraseOrder } from '../../src/privacy/node-erase-order.entity.ts';
import { certificateSigningBytes, verifyErasureCertificate } from '../../src/privacy/erasure-certificate.ts';
import { bodyOf } from '../support/https-client.ts';
import { deliver, heartbeat } from '../support/inbound.ts';
import { startTestAppliance, type TestAppliance, type TestUser } from '../support/test-appliance.ts';

const run = promisify(execFile);
const ENCLAVE = join(import.meta.dirname, '..', '..', '..', 'bin', 'enclave');
const NODE = 'erase-node-1';

let t: TestAppliance;
let tenant: string;
let dpo: TestUser;

beforeAll(async () => {
  t = await startTestAppliance();
  tenant = await t.createTenant('receipts');
  dpo = await t.createUser(tenant, 'dpo');
});
afterAll(() => t.stop());

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(ENCLAVE, args);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

interface Signer {
  readonly key: KeyObject;
  readonly certPem: string;
}

/** A receipt the way the agent builds it (ES256 for the test CA's P-256 node keys). */
function receipt(
  nodeId: string,
  order: EnvelopeOf<'erase.order'>,
  signer: Signer,
  tamper?: (body: EnvelopeOf<'erase.receipt'>['body']) => EnvelopeOf<'erase.receipt'>['body'],
): EnvelopeOf<'erase.receipt'> {
  const unsigned = {
    orderId: order.body.orderId,
    items: order.body.keyIds.map((keyId) => ({ keyId, outcome: 'erased' as const, files: 3, bytes: 9_000 })),
    completedAt: new Date().toISOString(),
  };
  const bytes = eraseReceiptSigningBytes({ nodeId, tenantId: order.tenantId, body: unsigned });
  const cert = new X509Certificate(signer.certPem);
  const body = {
    ...unsigned,
    signature: {
      alg: 'ES256' as const,
      certSha256: createHash('sha256').update(cert.raw).digest('hex'),
      value: sign('sha256', bytes, { key: signer.key, dsaEncoding: 'ieee-p1363' }).toString('base64url'),
      certificatePem: signer.certPem,
    },
  };
  return newEnvelope<'erase.receipt'>(
    {
      type: 'erase.receipt',
      nodeId,
      tenantId: order.tenantId,
      traceId: randomBytes(16).toString('hex'),
      body: tamper ? tamper(body) : body,
    },
    { id: randomUUID(), now: new Date() },
  );
}

async function auditCount(action: string): Promise<number> {
  return t.running.app.get(MikroORM).em.fork().count(AuditEntryRecord, { action });
}

async function certificateOf(
  requestId: string,
  cookie: string,
): Promise<{ text: string; c: ErasureCertificate }> {
  const reply = await t.api({ path: `/api/v1/privacy/requests/${requestId}/certificate`, cookie });
  expect(reply.status, reply.text).toBe(200);
  return { text: reply.text, c: bodyOf(reply, ErasureCertificateSchema) };
}

describe('erase receipts from nodes', () => {
  it('records a receipt signed by the node’s key, refuses forged ones, and the certificate carries it', async () => {
    const issued = await t.registerNode(NODE, { gpus: [], cpuSlots: 64, tags: [] });
    await deliver(t.running, heartbeat(NODE, new Date()));
    const genuine: Signer = { key: createPrivateKey(issued.keyPem ?? ''), certPem: issued.certPem };

    // a producer whose job runs on the node, then their erasure
    const producer = await t.createUser(tenant, 'producer', 'rita.receipt@example.test');
    const pcookie = await t.login(producer);
    const project = bodyOf(
      await t.api({ method: 'POST', path: '/api/v1/projects', cookie: pcookie, body: { name: 'rita-film' } }),
      ProjectSchema,
    );
    const job = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${project.projectId}/jobs`,
      cookie: pcookie,
      body: {
        template: 'transcode',
        params: { source: await t.createAsset(tenant, project.projectId, 'clip.mp4') },
        idempotencyKey: `receipt-${randomUUID()}`,
      },
    });
    expect(job.status, job.text).toBe(201);
    bodyOf(job, JobDetailSchema);
    const cookie = await t.login(dpo);
    const filed = await t.api({
      method: 'POST',
      path: '/api/v1/privacy/requests',
      cookie,
      body: { kind: 'erasure', subjectUserId: producer.userId },
    });
    const requestId = bodyOf(filed, PrivacyRequestSchema).requestId;
    for (const [path, body] of [
      ['verify-identity', { method: 'corporate-email' }],
      ['approve', {}],
    ] as const) {
      const reply = await t.api({
        method: 'POST',
        path: `/api/v1/privacy/requests/${requestId}/${path}`,
        cookie,
        body,
      });
      expect(reply.status, reply.text).toBe(200);
    }

    const orm = t.running.app.get(MikroORM);
    const rows = await orm.em.fork().find(OutboxMessage, { type: 'erase.order', topic: jobsTopic(NODE) });
    expect(rows).toHaveLength(1);
    const order = decodeEnvelope(Buffer.from(rows[0]!.payload));
    if (order.type !== 'erase.order') throw new Error('not an erase order');
    const before = await certificateOf(requestId, cookie);
    const [pendingRow] = before.c.certificate.nodeReceipts ?? [];
    expect(before.c.certificate.nodeReceipts).toHaveLength(1);
    expect({ ...pendingRow, lastSentAt: undefined }).toEqual({
      nodeId: NODE,
      orderId: order.body.orderId,
      status: 'pending',
      attempts: 1,
      lastSentAt: undefined,
    });
    expect(pendingRow?.lastSentAt).toBeTypeOf('string');
    expect(before.c.certificate.pendingNodes).toEqual([NODE]);
    expect(before.c.certificate.erased.find((e) => e.where.startsWith('node caches'))?.status).toBe(
      'pending',
    );

    // forged: another key with the node's certificate; another node's genuine certificate;
    // a genuine receipt altered after signing; the right receipt from the wrong node
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    const other = await t.ca.issue({ profile: 'node', name: 'erase-node-2', keyType: 'ec-p256' });
    const otherSigner: Signer = { key: createPrivateKey(other.keyPem ?? ''), certPem: other.certPem };
    // a second certificate of the same node, revoked (a stolen key): its signature is refused
    const stolen = await t.ca.issue({ profile: 'node', name: NODE, keyType: 'ec-p256' });
    await t.ca.revoke({ serial: stolen.serial, reason: 'keyCompromise' });
    const stolenSigner: Signer = { key: createPrivateKey(stolen.keyPem ?? ''), certPem: stolen.certPem };
    const forged = [
      receipt(NODE, order, { key: otherKey, certPem: issued.certPem }),
      receipt(NODE, order, otherSigner),
      receipt(NODE, order, genuine, (body) => ({
        ...body,
        items: body.items.map((item) => ({ ...item, files: 0, bytes: 0, outcome: 'not-held' as const })),
      })),
      receipt('erase-node-2', order, otherSigner),
      receipt(NODE, order, genuine, (body) => {
        const { certificatePem: _dropped, ...signature } = body.signature;
        return { ...body, signature };
      }),
      receipt(NODE, order, stolenSigner),
    ];
    for (const message of forged) await deliver(t.running, message);
    expect(await auditCount(AuditAction.PrivacyEraseReceiptRefused)).toBe(forged.length);
    expect(await auditCount(AuditAction.PrivacyEraseReceiptRecorded)).toBe(0);
    const stillPending = await orm.em.fork().findOneOrFail(NodeEraseOrder, { id: order.body.orderId });
    expect(stillPending.status).toBe('pending');
    const reasons = t.logs
      .entries()
      .filter((e) => e['msg'] === 'Erase receipt refused')
      .map((e) => String(e['reason']));
    expect(reasons).toEqual([
      'the signature does not verify',
      'the certificate is node "erase-node-2", not node "erase-node-1"',
      'the signature does not verify',
      'the order was sent to another node or tenant',
      'the receipt carries no node certificate',
      'the signing node certificate has been revoked',
    ]);

    // genuine: recorded once (a redelivery is ignored), audited, in the certificate
    const good = receipt(NODE, order, genuine);
    await deliver(t.running, good);
    await deliver(t.running, receipt(NODE, order, genuine));
    expect(await auditCount(AuditAction.PrivacyEraseReceiptRecorded)).toBe(1);
    const after = await certificateOf(requestId, cookie);
    const [row] = after.c.certificate.nodeReceipts ?? [];
    expect(row).toMatchObject({ nodeId: NODE, orderId: order.body.orderId, status: 'erased' });
    expect(row?.receipt).toEqual(good.body);
    expect(after.c.certificate.erased.find((e) => e.where.startsWith('node caches'))?.status).toBe('done');
    expect(after.c.certificate.nodeIssuerPem?.trim()).toBe(t.ca.intermediateCertPem.trim());

    // the offline verifier checks the embedded receipt against the pinned node CA
    expect(verifyErasureCertificate(after.text, undefined, t.ca.intermediateCertPem)).toMatchObject({
      ok: true,
    });
    const certFile = join(t.dir, 'erasure-with-receipts.json');
    const caFile = join(t.dir, 'node-ca.pem');
    await writeFile(certFile, after.text);
    await writeFile(caFile, t.ca.intermediateCertPem);
    const verified = await cli('erasure', 'verify', certFile, '--node-ca', caFile);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout).toContain('node receipts 1/1 erased');
    // a receipt altered inside a certificate signed again with the real audit key still fails
    const audit = t.running.app.get(AuditSigningKey);
    const altered = {
      ...after.c.certificate,
      nodeReceipts: (after.c.certificate.nodeReceipts ?? []).map((r) => ({
        ...r,
        receipt: r.receipt && { ...r.receipt, items: r.receipt.items.map((i) => ({ ...i, files: 99 })) },
      })),
    };
    const resigned = {
      certificate: altered,
      signature: audit.sign(certificateSigningBytes(altered)),
      publicKeyPem: audit.publicKeyPem,
    };
    expect(verifyErasureCertificate(JSON.stringify(resigned))).toEqual({
      ok: false,
      reason: 'node erase-node-1: receipt refused: the signature does not verify',
    });
    await writeFile(certFile, JSON.stringify(resigned));
    const refused = await cli('erasure', 'verify', certFile, '--node-ca', caFile);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('receipt refused');
  }, 60_000);
});
