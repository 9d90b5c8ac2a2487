// The agent routes of the asset store end to end, on a real SQLite file, the real TLS agent
// listener and the real broker: a node holding a live assignment gets the project DEK (which
// opens the sealed script of its task.assign), fetches its inputs' ciphertext byte for byte,
// and stores outputs as ciphertext that the next task finds as its inputs. Stale epochs and
// other nodes get 409; tampered or foreign-key ciphertext is refused. After the project is
// erased every route answers 410 and the sealed field read raw from Kafka no longer opens.
import {
  AgentDataKeySchema,
  AssetRefSchema,
  AssetSchema,
  ErrorReplySchema,
  JobDetailSchema,
  ProjectSchema,
  decodeFromTopic,
  jobsTopic,
  type AssetRef,
  type EnvelopeOf,
} from '@enclave/contracts';
import {
  DataKey,
  KeyRing,
  createEncryptStream,
  decryptBuffer,
  decryptFieldText,
  encryptBuffer,
} from '@enclave/crypto';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealedFieldAad } from '../../src/jobs/sealer.ts';
import { startE2eAppliance } from '../e2e-support/e2e-appliance.ts';
import { enrollNode, ScriptedAgent, type EnrolledNode } from '../e2e-support/scripted-agent.ts';
import { controlPlaneKafka } from '../messaging-support/kafka-context.ts';
import { readTopic } from '../messaging-support/kafka-test-clients.ts';
import { waitFor } from '../messaging-support/wait-for.ts';
import { bodyOf } from '../support/https-client.ts';
import type { TestAppliance } from '../support/test-appliance.ts';
import { bytesCall, type BytesReply } from './bytes-client.ts';

const run = randomBytes(3).toString('hex');
const script = 'Meet the new collection. Made in Dubai.';

let t: TestAppliance;
let dir: string;
let admin: string;
let producer: string;
let dpo: string;
let tenant: string;
let projectId: string;
let stillId: string;
let holder: ScriptedAgent;
let stranger: EnrolledNode;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-agent-assets-'));
  t = await startE2eAppliance(run);
  tenant = await t.createTenant(`assets-${run}`);
  admin = await t.login(await t.createUser(tenant, 'it-admin'));
  producer = await t.login(await t.createUser(tenant, 'producer'));
  dpo = await t.login(await t.createUser(tenant, 'dpo'));
  const project = await t.api({
    method: 'POST',
    path: '/api/v1/projects',
    cookie: producer,
    body: { name: 'p' },
  });
  projectId = bodyOf(project, ProjectSchema).projectId;
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(100_000)]);
  const uploaded = await bytesCall({
    port: t.apiPort,
    method: 'POST',
    path: `/api/v1/projects/${projectId}/assets?name=still.jpg`,
    tls: { ca: t.caPem },
    headers: {
      cookie: `__Host-enclave_session=${producer}`,
      origin: `https://127.0.0.1:${t.apiPort}`,
      'content-type': 'image/jpeg',
    },
    body: jpeg,
  });
  stillId = AssetSchema.parse(uploaded.json()).assetId;
  holder = new ScriptedAgent(await enrollNode(t, admin, `e2e-${run}-holder`, dir), 'hold');
  await holder.start();
  // Enrolled, never started: it takes no work, but has a valid node certificate.
  stranger = await enrollNode(t, admin, `e2e-${run}-stranger`, dir);
  await t.api({ method: 'POST', path: `/api/v1/nodes/e2e-${run}-stranger/cordon`, cookie: admin });
}, 120_000);

afterAll(async () => {
  await holder?.stop();
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function agentCall(
  node: EnrolledNode,
  method: string,
  path: string,
  body?: Buffer | Readable,
  headers: Record<string, string> = {},
): Promise<BytesReply> {
  return bytesCall({ port: t.agentPort, method, path, tls: node.tls, headers, ...(body ? { body } : {}) });
}

const dataKeyOf = (node: EnrolledNode, a: EnvelopeOf<'task.assign'>, epoch = a.body.epoch) =>
  agentCall(node, 'GET', `/agent/v1/tasks/${a.body.taskId}/data-key?epoch=${epoch}`);

const putOutput = (a: EnvelopeOf<'task.assign'>, name: string, body: Buffer, mediaType = 'audio/wav') =>
  agentCall(
    holder.node,
    'PUT',
    `/agent/v1/tasks/${a.body.taskId}/outputs/${name}?epoch=${a.body.epoch}`,
    body,
    {
      'content-type': 'application/octet-stream',
      'x-enclave-media-type': mediaType,
    },
  );

const codeOf = (reply: BytesReply) => ErrorReplySchema.parse(reply.json()).code;

async function assignOf(taskKey: string, jobId: string): Promise<EnvelopeOf<'task.assign'>> {
  const detail = bodyOf(await t.api({ path: `/api/v1/jobs/${jobId}`, cookie: producer }), JobDetailSchema);
  const taskId = detail.tasks.find((task) => task.key === taskKey)!.taskId;
  await waitFor(
    `task.assign of ${taskKey}`,
    () => holder.assigns.some((a) => a.body.taskId === taskId),
    30_000,
  );
  return holder.assigns.find((a) => a.body.taskId === taskId)!;
}

describe('agent routes', () => {
  let jobId: string;
  let voice: EnvelopeOf<'task.assign'>;
  let render: EnvelopeOf<'task.assign'>;
  let dek: DataKey;
  const outputs: AssetRef[] = [];
  const plain = {
    voiceover: randomBytes(150_000),
    captions: Buffer.from('1\n00:00:00,000 --> 00:00:02,000\nHi\n'),
  };

  it('gives the live holder the project DEK (no-store), which opens the sealed script', async () => {
    const submitted = await t.api({
      method: 'POST',
      path: `/api/v1/projects/${projectId}/jobs`,
      cookie: producer,
      body: {
        template: 'promo-video',
        params: { title: 'Spring', script, stills: [stillId], anonymiseFaces: false },
        idempotencyKey: `agent-assets-${run}`,
      },
    });
    jobId = bodyOf(submitted, JobDetailSchema).jobId;
    voice = await assignOf('voice', jobId);

    const reply = await dataKeyOf(holder.node, voice);
    expect(reply.status, reply.body.toString()).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-store');
    const body = AgentDataKeySchema.parse(reply.json());
    dek = new DataKey(body.keyId, 'dek', Buffer.from(body.key, 'base64'));
    const aad = sealedFieldAad({ tenantId: tenant, jobId, field: 'script' });
    expect(voice.body.sealed['script']!.keyId).toBe(body.keyId);
    expect(decryptFieldText(dek, voice.body.sealed['script'], aad)).toBe(script);
  });

  it('409 for a stale or future epoch and for a node that does not hold the task', async () => {
    for (const epoch of [voice.body.epoch + 1, 999]) {
      const reply = await dataKeyOf(holder.node, voice, epoch);
      expect(reply.status).toBe(409);
      expect(codeOf(reply)).toBe('STALE_EPOCH');
    }
    for (const path of [
      `/agent/v1/tasks/${voice.body.taskId}/data-key?epoch=${voice.body.epoch}`,
      `/agent/v1/tasks/${voice.body.taskId}/inputs/${stillId}?epoch=${voice.body.epoch}`,
    ]) {
      const reply = await agentCall(stranger, 'GET', path);
      expect(reply.status, path).toBe(409);
      expect(codeOf(reply)).toBe('STALE_EPOCH');
    }
    const put = await agentCall(
      stranger,
      'PUT',
      `/agent/v1/tasks/${voice.body.taskId}/outputs/voiceover?epoch=${voice.body.epoch}`,
      encryptBuffer(plain.voiceover, { key: dek }),
      { 'content-type': 'application/octet-stream', 'x-enclave-media-type': 'audio/wav' },
    );
    expect(put.status).toBe(409);
  });

  it('stores outputs as verified ciphertext; tampered, foreign-key and undeclared uploads are refused', async () => {
    const sealed = encryptBuffer(plain.voiceover, { key: dek, chunkSize: 64 * 1024 });
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 100]! ^= 0x01;
    const refused = await putOutput(voice, 'voiceover', tampered);
    expect(refused.status).toBe(400);
    expect(ErrorReplySchema.parse(refused.json()).message).toContain('CHUNK_AUTH_FAILED');
    const truncated = await putOutput(voice, 'voiceover', sealed.subarray(0, sealed.length - 10));
    expect(truncated.status).toBe(400);
    const foreign = await putOutput(
      voice,
      'voiceover',
      encryptBuffer(plain.voiceover, { key: DataKey.generate() }),
    );
    expect(foreign.status).toBe(400);
    expect(ErrorReplySchema.parse(foreign.json()).message).toContain("not this project's data key");
    const undeclared = await putOutput(voice, 'promo', sealed);
    expect(undeclared.status).toBe(400);
    const projectDir = join(t.config.ENCLAVE_DATA_DIR, 'assets', tenant, projectId);
    expect(await readdir(projectDir)).toEqual([stillId]);

    // Streamed (chunked) like the agent does.
    const stored = await agentCall(
      holder.node,
      'PUT',
      `/agent/v1/tasks/${voice.body.taskId}/outputs/voiceover?epoch=${voice.body.epoch}`,
      Readable.from(plain.voiceover).pipe(createEncryptStream({ key: dek, chunkSize: 64 * 1024 })),
      { 'content-type': 'application/octet-stream', 'x-enclave-media-type': 'audio/wav' },
    );
    expect(stored.status, stored.body.toString()).toBe(201);
    const voiceRef = AssetRefSchema.parse(stored.json());
    expect(voiceRef).toMatchObject({ name: 'voiceover', mediaType: 'audio/wav' });
    const captions = await putOutput(
      voice,
      'captions',
      encryptBuffer(plain.captions, { key: dek }),
      'application/x-subrip',
    );
    expect(captions.status).toBe(201);
    outputs.push(voiceRef, AssetRefSchema.parse(captions.json()));
  });

  it('the next task finds the outputs as inputs, and gets their ciphertext byte for byte', async () => {
    await holder.succeed(voice, outputs);
    render = await assignOf('render', jobId);
    // The voice assignment has ended: its epoch is no longer live.
    const finished = await dataKeyOf(holder.node, voice);
    expect(finished.status).toBe(409);
    expect(codeOf(finished)).toBe('STALE_EPOCH');
    const voiceIn = render.body.inputs.find((i) => i.name === 'voiceover')!;
    expect(voiceIn).toEqual(outputs[0]);
    const stillIn = render.body.inputs.find((i) => i.assetId === stillId)!;
    for (const ref of [voiceIn, stillIn]) {
      const reply = await agentCall(
        holder.node,
        'GET',
        `/agent/v1/tasks/${render.body.taskId}/inputs/${ref.assetId}?epoch=${render.body.epoch}`,
      );
      expect(reply.status).toBe(200);
      expect(reply.body.length).toBe(ref.sizeBytes);
      expect(createHash('sha256').update(reply.body).digest('hex')).toBe(ref.sha256);
    }
    const got = await agentCall(
      holder.node,
      'GET',
      `/agent/v1/tasks/${render.body.taskId}/inputs/${voiceIn.assetId}?epoch=${render.body.epoch}`,
    );
    expect(
      (await decryptBuffer(got.body, { resolveKey: () => Promise.resolve(dek) })).equals(plain.voiceover),
    ).toBe(true);
    // An asset that is not an input of this task (the voice task has none).
    const notInput = await agentCall(
      holder.node,
      'GET',
      `/agent/v1/tasks/${render.body.taskId}/inputs/nope?epoch=${render.body.epoch}`,
    );
    expect(notInput.status).toBe(404);
    // The producer downloads the task output decrypted.
    const down = await bytesCall({
      port: t.apiPort,
      path: `/api/v1/assets/${voiceIn.assetId}/content`,
      tls: { ca: t.caPem },
      headers: { cookie: `__Host-enclave_session=${producer}` },
    });
    expect(down.body.equals(plain.voiceover)).toBe(true);
  });

  it('after erasure: 410 on every asset route, and the sealed field from Kafka no longer opens', async () => {
    const erased = await t.api({ method: 'POST', path: `/api/v1/projects/${projectId}/erase`, cookie: dpo });
    expect(erased.status, erased.text).toBe(200);
    const epoch = `epoch=${render.body.epoch}`;
    const voiceIn = render.body.inputs.find((i) => i.name === 'voiceover')!;
    for (const [method, path] of [
      ['GET', `/agent/v1/tasks/${render.body.taskId}/data-key?${epoch}`],
      ['GET', `/agent/v1/tasks/${render.body.taskId}/inputs/${voiceIn.assetId}?${epoch}`],
      ['PUT', `/agent/v1/tasks/${render.body.taskId}/outputs/promo?${epoch}`],
    ] as const) {
      const reply = await agentCall(
        holder.node,
        method,
        path,
        method === 'PUT' ? Buffer.from('x') : undefined,
        {
          'content-type': 'application/octet-stream',
          'x-enclave-media-type': 'video/mp4',
        },
      );
      expect(reply.status, path).toBe(410);
      expect(codeOf(reply)).toBe('GONE');
    }
    for (const path of [`/api/v1/assets/${stillId}`, `/api/v1/assets/${voiceIn.assetId}/content`]) {
      expect((await t.api({ path, cookie: producer })).status, path).toBe(410);
    }

    // The task.assign as it sits in Kafka: its sealed script names a destroyed key.
    const topic = await readTopic(controlPlaneKafka('assets-reader'), jobsTopic(holder.nodeId));
    const raw = topic.records
      .map((r) => decodeFromTopic(r.topic, r.value))
      .find(
        (m): m is EnvelopeOf<'task.assign'> =>
          m.type === 'task.assign' && m.body.taskId === voice.body.taskId,
      )!;
    const field = raw.body.sealed['script']!;
    const ring = t.running.app.get(KeyRing);
    await expect(ring.getDataKey(field.keyId)).rejects.toMatchObject({ code: 'KEY_DESTROYED' });
    await expect(
      ring
        .getDataKey(field.keyId)
        .then((key) =>
          decryptFieldText(key, field, sealedFieldAad({ tenantId: tenant, jobId, field: 'script' })),
        ),
    ).rejects.toMatchObject({ code: 'KEY_DESTROYED' });
  });
});
