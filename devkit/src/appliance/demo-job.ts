// The demo job, as a producer would do it over REST: sign in, create a project, upload the three
// bundled stills, submit a `promo-video` job, follow it to its end and download the MP4.
// `scripts/demo-job.sh` runs it against the single box (demo.env); the end-to-end test calls it
// directly.
import {
  AssetListSchema,
  AssetSchema,
  JobDetailSchema,
  ProjectSchema,
  type JobDetail,
} from '@enclave/contracts';
import { randomBytes } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiSession } from './demo-accounts.ts';
import type { HttpsJsonReply } from './https-json.ts';

export interface DemoJobOptions {
  readonly url: string;
  readonly caPem: string;
  readonly producer: { readonly email: string; readonly password: string };
  /** The JPEG stills to upload, in order. */
  readonly stills: readonly string[];
  readonly script: string;
  /** Where the MP4 is written. */
  readonly outFile: string;
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface DemoJobResult {
  readonly projectId: string;
  readonly stillAssetIds: readonly string[];
  readonly job: JobDetail;
  readonly outFile: string;
}

export const DEMO_SCRIPT =
  'Meet the spring collection. Three pictures, one voice, made on our own machines. No face leaves the building.';

export async function bundledStills(repoRoot: string): Promise<string[]> {
  const dir = join(repoRoot, 'fixtures', 'stills');
  return (await readdir(dir))
    .filter((name) => name.endsWith('.jpg'))
    .sort()
    .map((name) => join(dir, name));
}

function expectStatus(reply: HttpsJsonReply, status: number, what: string): void {
  if (reply.status !== status) {
    throw new Error(
      `${what}: HTTP ${reply.status} ${reply.json ? JSON.stringify(reply.json) : reply.body.toString().slice(0, 300)}`,
    );
  }
}

export async function runDemoJob(options: DemoJobOptions): Promise<DemoJobResult> {
  const log = options.log ?? ((line: string) => console.log(line));
  const session = await ApiSession.signIn(options.url, options.caPem, options.producer);
  log(`signed in as ${options.producer.email}`);

  const created = await session.call('POST', '/api/v1/projects', {
    name: `Demo ${new Date().toISOString().slice(0, 16)}`,
  });
  expectStatus(created, 201, 'creating the project');
  const { projectId } = ProjectSchema.parse(created.json);
  log(`project ${projectId}`);

  const stillAssetIds: string[] = [];
  for (const file of options.stills) {
    const name = basename(file);
    const reply = await session.call(
      'POST',
      `/api/v1/projects/${projectId}/assets?name=${encodeURIComponent(name)}`,
      await readFile(file),
      { 'content-type': 'image/jpeg' },
    );
    expectStatus(reply, 201, `uploading ${name}`);
    const asset = AssetSchema.parse(reply.json);
    stillAssetIds.push(asset.assetId);
    log(`uploaded ${name} as ${asset.assetId} (${asset.sizeBytes} bytes stored encrypted)`);
  }

  const submitted = await session.call('POST', `/api/v1/projects/${projectId}/jobs`, {
    template: 'promo-video',
    params: { title: 'Spring collection', script: options.script, stills: stillAssetIds },
    idempotencyKey: `demo-${randomBytes(8).toString('hex')}`,
  });
  expectStatus(submitted, 201, 'submitting the promo-video job');
  let job = JobDetailSchema.parse(submitted.json);
  log(`job ${job.jobId} submitted (${job.tasks.map((t) => t.key).join(', ')})`);

  const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  let last = '';
  while (!['succeeded', 'failed', 'cancelled'].includes(job.state)) {
    if (Date.now() > deadline) throw new Error(`job ${job.jobId} did not finish in time (${last})`);
    await sleep(1_000);
    const reply = await session.call('GET', `/api/v1/jobs/${job.jobId}`);
    expectStatus(reply, 200, 'reading the job');
    job = JobDetailSchema.parse(reply.json);
    const line = `job ${job.state}: ${job.tasks.map((t) => `${t.key} ${t.state}${t.progress ? ` ${Math.round(t.progress * 100)}%` : ''}`).join(', ')}`;
    if (line !== last) log(line);
    last = line;
  }
  if (job.state !== 'succeeded') {
    throw new Error(
      `job ${job.jobId} ${job.state}: ${JSON.stringify(job.tasks.map((t) => ({ key: t.key, state: t.state, lastFailure: t.lastFailure })))}`,
    );
  }

  const listed = await session.call('GET', `/api/v1/projects/${projectId}/assets`);
  expectStatus(listed, 200, 'listing the project assets');
  const render = job.tasks.find((t) => t.key === 'render');
  const mp4 = AssetListSchema.parse(listed.json).items.find(
    (a) =>
      a.origin === 'task' &&
      a.mediaType === 'video/mp4' &&
      (render === undefined || a.taskId === render.taskId),
  );
  if (mp4 === undefined) throw new Error(`job ${job.jobId} succeeded but the project has no MP4 output`);
  const content = await session.call('GET', `/api/v1/assets/${mp4.assetId}/content`);
  expectStatus(content, 200, 'downloading the MP4');
  await writeFile(options.outFile, content.body);
  log(`downloaded ${mp4.name} (${content.body.length} bytes) to ${options.outFile}`);
  return { projectId, stillAssetIds, job, outFile: options.outFile };
}
