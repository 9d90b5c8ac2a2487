// The production InputFetcher: the project data key, input ciphertext and output upload over
// the mutual-TLS agent link. Inputs are checked against their AssetRef (size and SHA-256 of
// the ciphertext) and kept, still encrypted, in the agent's cache so a re-run does not fetch
// them again; plaintext only ever exists in the task's scratch directory.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AssetRefSchema,
  FailureKind,
  TaskFailureCode,
  type AssetRef,
  type EncryptedField,
  type TaskAssignBody,
} from '@enclave/contracts';
import {
  DataKey,
  KeyKind,
  createDecryptStream,
  createEncryptStream,
  decryptFieldText,
} from '@enclave/crypto';
import { readText, type AgentLink } from '../link/agent-link.ts';
import type { FetchedInput, InputFetcher, OutputFile, TaskAssets } from '../runner/input-fetcher.ts';
import { AssetTransferError, StaleLeaseError, transferErrorFor } from './asset-transfer.errors.ts';
import { DataKeyReplySchema, MEDIA_TYPE_HEADER, assetRoutes } from './asset-routes.ts';

/** Counts and hashes what passes through. */
class Tally extends Transform {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

async function fileDigest(path: string): Promise<{ bytes: number; sha256: string }> {
  const tally = new Tally();
  await pipeline(createReadStream(path), tally, async function* drain(source) {
    for await (const _ of source) void _;
  });
  return { bytes: tally.bytes, sha256: tally.hash.digest('hex') };
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Rethrows aborts and our own errors as they are; anything else becomes `wrap(error)`. */
function rethrow(error: unknown, signal: AbortSignal, wrap: (error: unknown) => Error): never {
  if (signal.aborted) throw error;
  if (error instanceof AssetTransferError || error instanceof StaleLeaseError) throw error;
  throw wrap(error);
}

export interface HttpAssetTransferOptions {
  link: AgentLink;
  /** Encrypted input cache (under the state directory; ciphertext only). */
  cacheDir: string;
}

export class HttpAssetTransfer implements InputFetcher {
  readonly #link: AgentLink;
  readonly #cacheDir: string;

  constructor(options: HttpAssetTransferOptions) {
    this.#link = options.link;
    this.#cacheDir = options.cacheDir;
  }

  async open(task: TaskAssignBody, signal: AbortSignal): Promise<TaskAssets> {
    const { key, outputs } = await this.#dataKey(task, signal);
    try {
      await mkdir(this.#cacheDir, { recursive: true, mode: 0o700 });
      const inputs: FetchedInput[] = [];
      for (const ref of task.inputs) inputs.push({ ref, path: await this.#input(task, ref, signal) });
      return new HttpTaskAssets(this.#link, task, key, inputs, outputs);
    } catch (error) {
      key.destroy();
      throw error;
    }
  }

  async #dataKey(
    task: TaskAssignBody,
    signal: AbortSignal,
  ): Promise<{ key: DataKey; outputs: readonly string[] | undefined }> {
    const what = 'data key';
    try {
      const res = await this.#link.send({
        method: 'GET',
        path: assetRoutes.dataKey(task.taskId, task.epoch),
        signal,
      });
      const text = await readText(res);
      if (res.statusCode !== 200)
        throw transferErrorFor(res.statusCode ?? 0, what, task, text, TaskFailureCode.INPUT_UNAVAILABLE);
      const reply = DataKeyReplySchema.safeParse(JSON.parse(text));
      const bytes = reply.success ? Buffer.from(reply.data.key, 'base64') : Buffer.alloc(0);
      try {
        if (!reply.success || bytes.length !== 32)
          throw new Error('the reply is not { keyId, key: base64 of 32 bytes }');
        return { key: new DataKey(reply.data.keyId, KeyKind.Dek, bytes), outputs: reply.data.outputs };
      } finally {
        bytes.fill(0);
      }
    } catch (error) {
      rethrow(
        error,
        signal,
        (cause) =>
          new AssetTransferError(
            TaskFailureCode.INPUT_UNAVAILABLE,
            FailureKind.Soft,
            `${what}: ${describe(cause)}`,
            {
              cause,
            },
          ),
      );
    }
  }

  /** The verified ciphertext of one input, from the cache or fetched into it. */
  async #input(task: TaskAssignBody, ref: AssetRef, signal: AbortSignal): Promise<string> {
    const cached = join(this.#cacheDir, `${ref.assetId}.${ref.sha256}.enc`);
    const present = await fileDigest(cached).catch(() => null);
    if (present && present.bytes === ref.sizeBytes && present.sha256 === ref.sha256) return cached;
    if (present) await rm(cached, { force: true });
    const what = `input "${ref.name}" (${ref.assetId})`;
    const part = `${cached}.${randomUUID()}.part`;
    try {
      const res = await this.#link.send({
        method: 'GET',
        path: assetRoutes.input(task.taskId, ref.assetId, task.epoch),
        signal,
      });
      if (res.statusCode !== 200) {
        const text = await readText(res).catch(() => '');
        throw transferErrorFor(res.statusCode ?? 0, what, task, text, TaskFailureCode.INPUT_UNAVAILABLE);
      }
      const tally = new Tally();
      await pipeline(res, tally, createWriteStream(part, { mode: 0o600 }), { signal });
      const sha256 = tally.hash.digest('hex');
      if (tally.bytes !== ref.sizeBytes || sha256 !== ref.sha256) {
        throw new AssetTransferError(
          TaskFailureCode.INPUT_INTEGRITY,
          FailureKind.Hard,
          `${what}: received ${tally.bytes} bytes with sha256 ${sha256}, the task names ${ref.sizeBytes} bytes with sha256 ${ref.sha256}; refused`,
        );
      }
      await rename(part, cached);
      return cached;
    } catch (error) {
      await rm(part, { force: true });
      rethrow(
        error,
        signal,
        (cause) =>
          new AssetTransferError(
            TaskFailureCode.INPUT_UNAVAILABLE,
            FailureKind.Soft,
            `${what}: ${describe(cause)}`,
            {
              cause,
            },
          ),
      );
    }
  }
}

class HttpTaskAssets implements TaskAssets {
  readonly inputs: readonly FetchedInput[];
  readonly outputNames: readonly string[] | undefined;
  readonly #link: AgentLink;
  readonly #task: TaskAssignBody;
  readonly #key: DataKey;

  constructor(
    link: AgentLink,
    task: TaskAssignBody,
    key: DataKey,
    inputs: FetchedInput[],
    outputNames: readonly string[] | undefined,
  ) {
    this.#link = link;
    this.#task = task;
    this.#key = key;
    this.inputs = inputs;
    this.outputNames = outputNames;
  }

  async materialise(input: FetchedInput, path: string, signal: AbortSignal): Promise<void> {
    const temp = `${path}.${randomUUID()}.part`;
    const key = this.#key;
    try {
      await pipeline(
        createReadStream(input.path),
        createDecryptStream({
          resolveKey: (keyId) =>
            keyId === key.keyId
              ? Promise.resolve(key)
              : Promise.reject(
                  new Error(`the input is sealed under ${keyId}, not the project key ${key.keyId}`),
                ),
        }),
        createWriteStream(temp, { mode: 0o600 }),
        { signal },
      );
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      rethrow(
        error,
        signal,
        (cause) =>
          new AssetTransferError(
            TaskFailureCode.DECRYPTION_FAILED,
            FailureKind.Hard,
            `input "${input.ref.name}" (${input.ref.assetId}) does not decrypt: ${describe(cause)}`,
            { cause },
          ),
      );
    }
  }

  async upload(file: OutputFile, signal: AbortSignal): Promise<AssetRef> {
    const what = `output "${file.name}"`;
    try {
      const size = (await stat(file.path)).size;
      const tally = new Tally();
      const body = createEncryptStream({ key: this.#key });
      const sent = pipeline(createReadStream(file.path), body, tally);
      sent.catch(() => undefined); // surfaced through the request (the body errors)
      const res = await this.#link.send({
        method: 'PUT',
        path: assetRoutes.output(this.#task.taskId, file.name, this.#task.epoch),
        headers: { 'content-type': 'application/octet-stream', [MEDIA_TYPE_HEADER]: file.mediaType },
        body: tally,
        signal,
      });
      const text = await readText(res);
      if (res.statusCode !== 201)
        throw transferErrorFor(
          res.statusCode ?? 0,
          what,
          this.#task,
          text,
          TaskFailureCode.OUTPUT_UPLOAD_FAILED,
        );
      await sent;
      const ref = AssetRefSchema.safeParse(JSON.parse(text));
      if (!ref.success) throw new Error('the reply is not an AssetRef');
      const sha256 = tally.hash.digest('hex');
      if (ref.data.sizeBytes !== tally.bytes || ref.data.sha256 !== sha256) {
        throw new Error(
          `the control plane stored ${ref.data.sizeBytes} bytes (sha256 ${ref.data.sha256}) but ${tally.bytes} bytes (sha256 ${sha256}) of ${size} plaintext bytes were sent`,
        );
      }
      return ref.data;
    } catch (error) {
      rethrow(
        error,
        signal,
        (cause) =>
          new AssetTransferError(
            TaskFailureCode.OUTPUT_UPLOAD_FAILED,
            FailureKind.Soft,
            `${what}: ${describe(cause)}`,
            {
              cause,
            },
          ),
      );
    }
  }

  openSealed(value: EncryptedField, aad: string): string {
    try {
      return decryptFieldText(this.#key, value, aad);
    } catch (cause) {
      throw new AssetTransferError(
        TaskFailureCode.DECRYPTION_FAILED,
        FailureKind.Hard,
        `a sealed field does not open with the project key: ${describe(cause)}`,
        { cause },
      );
    }
  }

  get keyId(): string {
    return this.#key.keyId;
  }

  close(): void {
    this.#key.destroy();
  }
}
