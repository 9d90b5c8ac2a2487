// The agent's asset transfer against a local control plane over real mutual TLS (dev CA):
// data key, input ciphertext checked and cached encrypted, decryption into scratch, output
// encrypted and uploaded; a tampered input, 410 and 409 through the task runner.
import { FailureKind, TaskFailureCode, type Envelope } from '@enclave/contracts';
import { startNodeRuntime } from '@enclave/gpu-node';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetTransferError } from '../src/assets/asset-transfer.errors.ts';
import { HttpAssetTransfer } from '../src/assets/http-asset-transfer.ts';
import { HttpsRenewer } from '../src/enroll/https-renewer.ts';
import { HttpsAgentLink } from '../src/link/agent-link.ts';
import { GpuNodeStepRuntime } from '../src/runner/gpu-node.step-runtime.ts';
import { TaskRunner } from '../src/runner/task-runner.ts';
import { AgentState, AgentStateMachine } from '../src/state/agent-state.ts';
import { systemClock } from '../src/support/clock.ts';
import { systemTimers } from '../src/support/timers.ts';
import { type AgentLinkServer, startAgentLinkServer } from './agent-link-server.ts';
import { ScriptedRuntime, assignEnvelope, nextId } from './fixtures.ts';

const NODE_ID = 'gpu-assets-1';
let server: AgentLinkServer;
let link: HttpsAgentLink;

beforeAll(async () => {
  server = await startAgentLinkServer(20501, NODE_ID);
  link = new HttpsAgentLink(server.url, {
    caFile: server.node.ca,
    chainFile: server.node.chain,
    keyFile: server.node.key,
  });
}, 60_000);

afterAll(async () => {
  await server.close();
});

const task = (taskId: string, inputs: ReturnType<AgentLinkServer['addInput']>['ref'][]) =>
  assignEnvelope({ taskId, epoch: 3, inputs }).body;

const signal = () => new AbortController().signal;

describe('HttpAssetTransfer over mutual TLS', () => {
  it('fetches, caches ciphertext only, decrypts into scratch, and uploads an encrypted output', async () => {
    const plaintext = randomBytes(300_000); // several 64 KiB chunks
    const input = server.addInput('source', 'video/mp4', plaintext);
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'agent-cache-')), 'cache');
    const transfer = new HttpAssetTransfer({ link, cacheDir });
    const before = server.inputGets;

    const assets = await transfer.open(task('task-rt', [input.ref]), signal());
    expect(server.inputGets).toBe(before + 1);
    expect(server.peers.at(-1)).toBe(`node-${NODE_ID}`); // the client certificate was presented
    const [fetched] = assets.inputs;
    if (!fetched) throw new Error('no input');
    // The cache holds the ciphertext exactly as the control plane stores it.
    const cached = readFileSync(fetched.path);
    expect(cached.subarray(0, 4).toString('ascii')).toBe('ENCL');
    expect(cached.length).toBe(input.ref.sizeBytes);
    expect(cached.includes(plaintext.subarray(1000, 1064))).toBe(false);

    const scratch = mkdtempSync(join(tmpdir(), 'agent-scratch-'));
    const target = join(scratch, 'source.mp4');
    await assets.materialise(fetched, target, signal());
    expect(readFileSync(target).equals(plaintext)).toBe(true);
    expect(readdirSync(scratch)).toEqual(['source.mp4']); // the temp file was renamed

    const outputPlain = randomBytes(150_000);
    writeFileSync(join(scratch, 'result.mp4'), outputPlain);
    const ref = await assets.upload(
      { name: 'result', mediaType: 'video/mp4', path: join(scratch, 'result.mp4') },
      signal(),
    );
    const stored = server.outputs.get('result');
    expect(stored?.plaintext.equals(outputPlain)).toBe(true);
    expect(stored?.ciphertext.includes(outputPlain.subarray(0, 64))).toBe(false);
    expect(stored?.mediaType).toBe('video/mp4');
    expect(ref).toMatchObject({
      name: 'result',
      mediaType: 'video/mp4',
      sizeBytes: stored?.ciphertext.length,
    });
    assets.close();

    // A re-run finds the verified ciphertext in the cache and does not fetch it again.
    const again = await transfer.open(task('task-rt', [input.ref]), signal());
    expect(server.inputGets).toBe(before + 1);
    again.close();
    expect(readdirSync(cacheDir)).toEqual([`${input.ref.assetId}.${input.ref.sha256}.enc`]);
  }, 30_000);

  it('refuses an input whose ciphertext does not match the AssetRef and keeps nothing of it', async () => {
    const input = server.addInput('source', 'video/mp4', randomBytes(10_000));
    server.modes.set('task-tamper', 'tamper');
    const cacheDir = join(mkdtempSync(join(tmpdir(), 'agent-cache-')), 'cache');
    const transfer = new HttpAssetTransfer({ link, cacheDir });
    const error = await transfer.open(task('task-tamper', [input.ref]), signal()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AssetTransferError);
    expect(error).toMatchObject({ code: TaskFailureCode.INPUT_INTEGRITY, failure: FailureKind.Hard });
    expect(String((error as Error).message)).toMatch(/sha256.*refused/);
    expect(readdirSync(cacheDir)).toEqual([]);
  }, 30_000);

  it('renews the certificate over the link with a CSR for the same key', async () => {
    const renewer = new HttpsRenewer({
      link,
      nodeId: NODE_ID,
      readKey: () => readFileSync(server.node.key, 'utf8'),
      readCa: () => server.rootPem,
    });
    const renewed = await renewer.renew();
    expect(renewed.certificatePem).toContain('BEGIN CERTIFICATE');
    expect(renewed.chainPem).toContain('BEGIN CERTIFICATE');
  }, 30_000);
});

describe('the task runner with the real asset transfer', () => {
  function runner() {
    const sent: Envelope[] = [];
    const stale: string[] = [];
    const machine = new AgentStateMachine(AgentState.Idle);
    const runtime = new ScriptedRuntime();
    const taskRunner = new TaskRunner({
      slots: 1,
      sink: { append: (envelope) => sent.push(envelope) },
      machine,
      clock: systemClock,
      timers: systemTimers,
      newId: nextId,
      runtime,
      inputs: new HttpAssetTransfer({
        link,
        cacheDir: join(mkdtempSync(join(tmpdir(), 'agent-c-')), 'cache'),
      }),
      progressIntervalMs: 1_000,
      onStale: (taskId, epoch) => stale.push(`${taskId}@${epoch}`),
    });
    const settled = async () => {
      for (let i = 0; i < 200 && taskRunner.slotsFree < 1; i += 1)
        await new Promise((r) => setTimeout(r, 25));
    };
    return { sent, stale, taskRunner, runtime, settled };
  }

  it('410: the task fails hard with a reason that says the data was destroyed', async () => {
    const { sent, taskRunner, runtime, settled } = runner();
    server.modes.set('task-gone', 'gone');
    expect(taskRunner.handle(assignEnvelope({ taskId: 'task-gone', epoch: 2 }))).toBe('accepted');
    await settled();
    expect(runtime.contexts.has('task-gone')).toBe(false); // no step ran
    const last = sent.at(-1);
    expect(last?.type).toBe('task.failed');
    if (last?.type !== 'task.failed') throw new Error('not failed');
    expect(last.body).toMatchObject({ failure: 'hard', code: TaskFailureCode.INPUT_UNAVAILABLE });
    expect(last.body.message).toMatch(/destroyed \(HTTP 410\)/);
  }, 30_000);

  it('409: the task is dropped as stale, with no terminal message, and its slot freed', async () => {
    const { sent, stale, taskRunner, settled } = runner();
    server.modes.set('task-stale', 'stale');
    expect(taskRunner.handle(assignEnvelope({ taskId: 'task-stale', epoch: 4 }))).toBe('accepted');
    await settled();
    expect(sent.map((envelope) => envelope.type)).toEqual(['task.accepted']);
    expect(stale).toEqual(['task-stale@4']);
    expect(taskRunner.slotsFree).toBe(1);
  }, 30_000);

  it('a successful fetch hands the runtime the fetched inputs', async () => {
    const { taskRunner, runtime, sent, settled } = runner();
    const input = server.addInput('voiceover', 'audio/wav', randomBytes(2_000));
    taskRunner.handle(assignEnvelope({ taskId: 'task-ok', epoch: 1, inputs: [input.ref] }));
    for (let i = 0; i < 200 && !runtime.contexts.has('task-ok'); i += 1)
      await new Promise((r) => setTimeout(r, 25));
    const inputs = runtime.contexts.get('task-ok')?.assets.inputs ?? [];
    expect(inputs.map((fetched) => fetched.ref.name)).toEqual(['voiceover']);
    expect(existsSync(inputs[0]?.path ?? '/nope')).toBe(true);
    runtime.finish('task-ok');
    await settled();
    expect(sent.at(-1)?.type).toBe('task.succeeded');
  }, 30_000);
});

describe('GpuNodeStepRuntime with the real transfer and a real step', () => {
  it('decrypts the input into task files, runs the step, uploads the output encrypted, wipes scratch', async () => {
    const sourcePath = join(mkdtempSync(join(tmpdir(), 'agent-src-')), 'source.mp4');
    execFileSync('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=128x72:rate=10', '-t', '1'],
      ...['-pix_fmt', 'yuv420p', '-c:v', 'libx264', sourcePath],
    ]);
    const input = server.addInput('video', 'video/mp4', readFileSync(sourcePath));
    const scratchRoot = mkdtempSync(join(tmpdir(), 'agent-scratch-root-'));
    const node = await startNodeRuntime({ scratchRoot });
    const body = assignEnvelope({
      taskId: 'task-thumb',
      epoch: 1,
      inputs: [input.ref],
      steps: [{ step: 'video.thumbnail', params: { input: 'video', output: 'thumb', at: 0.5, width: 64 } }],
    }).body;
    const transfer = new HttpAssetTransfer({
      link,
      cacheDir: join(scratchRoot, '..', `cache-${Date.now()}`),
    });
    const assets = await transfer.open(body, signal());
    const result = await new GpuNodeStepRuntime(node).run(body, {
      signal: signal(),
      tenantId: 'tenant-1',
      assets,
      onProgress: () => undefined,
    });
    assets.close();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    if (!result.ok) return;
    expect(result.outputs.map((ref) => [ref.name, ref.mediaType])).toEqual([['thumb', 'image/jpeg']]);
    const stored = server.outputs.get('thumb');
    expect(stored?.plaintext.subarray(0, 2).toString('hex')).toBe('ffd8'); // a JPEG, decrypted by the server
    expect(stored?.ciphertext.subarray(0, 4).toString('ascii')).toBe('ENCL');
    expect(readdirSync(scratchRoot)).toEqual([]); // the task's scratch directory is gone
  }, 120_000);
});
