// The agent's start-up step for the LUKS2 scratch volume: the key comes from the control plane's
// agent route over real mutual TLS (a local node:https server under the dev CA, port 21301), and
// reaches cryptsetup on stdin only, for luksFormat and open — never as an argument. The commands
// are recorded by a scripted process runner (the real dm-crypt round trip is gpu-node's
// scratch-volume test, which needs root and device-mapper).
import { ensureIdentity, openDevCa } from '@enclave/devkit';
import type { ProcessRunner } from '@enclave/gpu-node';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpsAgentLink } from '../src/link/agent-link.ts';
import { fetchScratchKey } from '../src/scratch/scratch-key.client.ts';
import { mountScratchVolume } from '../src/scratch/scratch-volume.mount.ts';
import { memoryLogger } from '../src/support/logger.ts';
import { kafkaContext } from './kafka-helpers.ts';

const PORT = 21301;
const KEY = randomBytes(32);
let server: Server;
let link: HttpsAgentLink;
const callers: string[] = [];
let reply: { status: number; body: unknown } = {
  status: 200,
  body: { keyId: 'dek_scratch1', key: KEY.toString('base64') },
};

beforeAll(async () => {
  const ca = await openDevCa(kafkaContext().caDir);
  const dir = mkdtempSync(join(tmpdir(), 'agent-scratch-'));
  const serverId = await ensureIdentity(ca, join(dir, 'server'), {
    profile: 'control-plane',
    name: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
  });
  const node = await ensureIdentity(ca, join(dir, 'node'), { profile: 'node', name: 'gpu-scratch-1' });
  server = createServer(
    {
      key: readFileSync(serverId.key),
      cert: readFileSync(serverId.chain),
      ca: readFileSync(serverId.ca),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.3',
    },
    (req, res) => {
      callers.push(String((req.socket as TLSSocket).getPeerCertificate().subject.CN));
      if (req.url !== '/agent/v1/scratch-key') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    },
  );
  await new Promise<void>((resolve) => server.listen(PORT, '127.0.0.1', resolve));
  link = new HttpsAgentLink(`https://127.0.0.1:${PORT}`, {
    caFile: node.ca,
    chainFile: node.chain,
    keyFile: node.key,
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type ProcessSpec = Parameters<ProcessRunner['start']>[0];
type RunningProcess = ReturnType<ProcessRunner['start']>;

interface Recorded {
  command: string;
  args: readonly string[];
  stdin: Buffer | null;
}

/** Records each command and what it got on stdin; every command succeeds. */
function recordingRunner(recorded: Recorded[]): ProcessRunner {
  return {
    start(spec: ProcessSpec): RunningProcess {
      const entry: Recorded = { command: spec.command, args: spec.args, stdin: null };
      recorded.push(entry);
      const stdin = spec.stdin === 'pipe' ? new PassThrough() : null;
      const chunks: Buffer[] = [];
      stdin?.on('data', (chunk: Buffer) => chunks.push(chunk));
      const exited = new Promise<{ code: number; signal: null; aborted: false; timedOut: false }>(
        (resolve) => {
          const done = () => resolve({ code: 0, signal: null, aborted: false, timedOut: false });
          if (stdin) stdin.on('end', () => ((entry.stdin = Buffer.concat(chunks)), done()));
          else setImmediate(done);
        },
      );
      return { pid: 1, stdin, stdout: Readable.from([]), stderr: Readable.from([]), exited };
    },
    run: () => Promise.reject(new Error('not used')),
  };
}

describe('scratch volume at agent start', () => {
  it('fetches the key over mutual TLS as the node, and refuses a malformed reply', async () => {
    const got = await fetchScratchKey(link);
    expect(got.keyId).toBe('dek_scratch1');
    expect(got.key.equals(KEY)).toBe(true);
    expect(callers.at(-1)).toBe('node-gpu-scratch-1');
    reply = { status: 200, body: { keyId: 'k', key: 'c2hvcnQ=' } };
    await expect(fetchScratchKey(link)).rejects.toThrow(/base64 of 32 bytes/);
    reply = { status: 403, body: { code: 'FORBIDDEN' } };
    await expect(fetchScratchKey(link)).rejects.toThrow(/answered 403/);
    reply = { status: 200, body: { keyId: 'dek_scratch1', key: KEY.toString('base64') } };
  });

  it('formats and opens LUKS2 with the key on stdin only, then mounts scratchDir 0700', async () => {
    const root = mkdtempSync(join(tmpdir(), 'agent-scratch-mount-'));
    const recorded: Recorded[] = [];
    const mounted = await mountScratchVolume({
      link,
      scratchDir: join(root, 'scratch'),
      volume: { backingFile: join(root, 'vol', 'scratch.luks'), sizeMiB: 64, name: 'enclave-scratch' },
      logger: memoryLogger(),
      runner: recordingRunner(recorded),
    });
    expect(recorded.map((r) => `${r.command} ${r.args[0] ?? ''}`)).toEqual([
      'umount ' + join(root, 'scratch'),
      'cryptsetup close',
      'cryptsetup luksFormat',
      'cryptsetup open',
      'mkfs.ext4 -q',
      'mount -o',
    ]);
    const withKey = recorded.filter((r) => r.stdin !== null);
    expect(withKey.map((r) => r.args[0])).toEqual(['luksFormat', 'open']);
    for (const r of withKey) expect(r.stdin?.equals(KEY)).toBe(true);
    const b64 = KEY.toString('base64');
    const hex = KEY.toString('hex');
    for (const r of recorded)
      for (const arg of r.args) expect(arg.includes(b64) || arg.includes(hex)).toBe(false);
    expect(statSync(join(root, 'vol', 'scratch.luks')).size).toBe(64 * 1024 * 1024);
    expect(statSync(join(root, 'scratch')).mode & 0o777).toBe(0o700);

    recorded.length = 0;
    await mounted.close();
    expect(recorded.map((r) => `${r.command} ${r.args[0] ?? ''}`)).toEqual([
      'umount ' + join(root, 'scratch'),
      'cryptsetup close',
    ]);
  });
});
