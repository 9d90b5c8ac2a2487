// A local control plane for the agent link: node:https with mutual TLS under the dev CA,
// implementing the /agent/v1/tasks routes of the contract (data key, input ciphertext, output
// upload with every chunk verified) and /agent/v1/renew. Test knobs per task id.
import { ensureIdentity, openDevCa, type IdentityFiles } from '@enclave/devkit';
import { DataKey, KeyKind, createDecryptStream, encryptBuffer, newKeyId } from '@enclave/crypto';
import { MEDIA_TYPE_HEADER, type AssetRef } from '@enclave/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { kafkaContext } from './kafka-helpers.ts';

export type TaskMode = 'ok' | 'stale' | 'gone' | 'tamper';

export interface StoredInput {
  ref: AssetRef;
  plaintext: Buffer;
}

export interface AgentLinkServer {
  url: string;
  node: IdentityFiles;
  rootPem: string;
  keyBytes: Buffer;
  key: DataKey;
  modes: Map<string, TaskMode>;
  inputGets: number;
  /** Uploaded outputs: ciphertext as stored and the plaintext the server decrypted. */
  outputs: Map<string, { ciphertext: Buffer; plaintext: Buffer; mediaType: string }>;
  peers: string[];
  addInput(name: string, mediaType: string, plaintext: Buffer): StoredInput;
  close(): Promise<void>;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
}

export async function startAgentLinkServer(port: number, nodeId: string): Promise<AgentLinkServer> {
  const ca = await openDevCa(kafkaContext().caDir);
  const dir = mkdtempSync(join(tmpdir(), 'agent-link-'));
  const serverId = await ensureIdentity(ca, join(dir, 'server'), {
    profile: 'control-plane',
    name: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const node = await ensureIdentity(ca, join(dir, 'node'), { profile: 'node', name: nodeId });
  const rootPem = readFileSync(serverId.ca, 'utf8');
  const keyBytes = randomBytes(32);
  const key = new DataKey(newKeyId(KeyKind.Dek), KeyKind.Dek, keyBytes);
  const ciphertexts = new Map<string, Buffer>();
  let counter = 0;

  const state: AgentLinkServer = {
    url: `https://127.0.0.1:${port}`,
    node,
    rootPem,
    keyBytes,
    key,
    modes: new Map(),
    inputGets: 0,
    outputs: new Map(),
    peers: [],
    addInput(name, mediaType, plaintext) {
      const ciphertext = encryptBuffer(plaintext, { key, chunkSize: 65_536 });
      const assetId = `asset-${++counter}-${randomBytes(4).toString('hex')}`;
      ciphertexts.set(assetId, ciphertext);
      return {
        ref: { name, assetId, mediaType, sizeBytes: ciphertext.length, sha256: sha(ciphertext) },
        plaintext,
      };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer(
    {
      key: readFileSync(serverId.key),
      cert: `${readFileSync(serverId.chain, 'utf8').trim()}\n${rootPem}`,
      ca: rootPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    },
    (req, res) => {
      void (async () => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        state.peers.push(String(peer.subject?.CN ?? ''));
        const url = new URL(req.url ?? '/', state.url);
        if (url.pathname === '/agent/v1/renew' && req.method === 'POST') {
          const { csrPem } = JSON.parse((await body(req)).toString('utf8')) as { csrPem: string };
          const renewed = await ensureIdentity(ca, join(dir, `renewed-${++counter}`), {
            profile: 'node',
            name: nodeId,
          });
          json(res, 201, {
            certificatePem: readFileSync(renewed.cert, 'utf8'),
            chainPem: readFileSync(renewed.chain, 'utf8'),
            caPem: rootPem,
            certificateNotAfter: new Date(Date.now() + 86_400_000).toISOString(),
            csrSeen: csrPem.includes('CERTIFICATE REQUEST'),
          });
          return;
        }
        const match = /^\/agent\/v1\/tasks\/([^/]+)\/(data-key|inputs|outputs)(?:\/([^/]+))?$/.exec(
          url.pathname,
        );
        if (!match || !url.searchParams.get('epoch')) {
          json(res, 404, { code: 'NOT_FOUND', message: 'no such route', correlationId: 'x' });
          return;
        }
        const [, taskId = '', kind, item = ''] = match;
        const mode = state.modes.get(taskId) ?? 'ok';
        if (mode === 'stale') {
          await body(req);
          json(res, 409, { code: 'STALE_EPOCH', message: 'not the live lease', correlationId: 'x' });
          return;
        }
        if (mode === 'gone') {
          await body(req);
          json(res, 410, { code: 'GONE', message: 'the project was erased', correlationId: 'x' });
          return;
        }
        if (kind === 'data-key' && req.method === 'GET') {
          json(res, 200, { keyId: key.keyId, key: keyBytes.toString('base64') });
          return;
        }
        if (kind === 'inputs' && req.method === 'GET') {
          state.inputGets += 1;
          const stored = ciphertexts.get(item);
          if (!stored) {
            json(res, 404, { code: 'NOT_FOUND', message: 'no such input', correlationId: 'x' });
            return;
          }
          const sent = Buffer.from(stored);
          if (mode === 'tamper') sent[sent.length - 1] = (sent[sent.length - 1] ?? 0) ^ 1;
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': sent.length });
          res.end(sent);
          return;
        }
        if (kind === 'outputs' && req.method === 'PUT') {
          const ciphertext = await body(req);
          const chunks: Buffer[] = [];
          const decrypt = createDecryptStream({ resolveKey: () => Promise.resolve(key) });
          decrypt.on('data', (chunk: Buffer) => chunks.push(chunk));
          try {
            await new Promise<void>((resolve, reject) => {
              decrypt.on('end', resolve).on('error', reject);
              decrypt.end(ciphertext);
            });
          } catch (error) {
            json(res, 400, { code: 'VALIDATION_FAILED', message: String(error), correlationId: 'x' });
            return;
          }
          const mediaType = String(req.headers[MEDIA_TYPE_HEADER] ?? '');
          state.outputs.set(decodeURIComponent(item), {
            ciphertext,
            plaintext: Buffer.concat(chunks),
            mediaType,
          });
          json(res, 201, {
            name: decodeURIComponent(item),
            assetId: `out-${++counter}`,
            mediaType,
            sizeBytes: ciphertext.length,
            sha256: sha(ciphertext),
          });
          return;
        }
        json(res, 405, { code: 'NOT_FOUND', message: 'method', correlationId: 'x' });
      })().catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return state;
}
