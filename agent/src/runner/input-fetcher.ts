// A task's assets: its data key, its inputs (ciphertext fetched and verified before the steps
// run) and the upload of its outputs. The production implementation talks to the control
// plane's /agent/v1/tasks/... routes (src/assets/); the stub serves tasks without assets.
import type { AssetRef, EncryptedField, TaskAssignBody } from '@enclave/contracts';

export interface FetchedInput {
  ref: AssetRef;
  /** The verified ciphertext (for the stub: a path naming nothing). */
  path: string;
}

export interface OutputFile {
  name: string;
  mediaType: string;
  /** Plaintext in the task's scratch directory. */
  path: string;
}

/** One task's view of its assets; `close` forgets the data key (call it whatever the outcome). */
export interface TaskAssets {
  /** The id of the task's data key: what an erase.order names (absent for the stub). */
  readonly keyId?: string | undefined;
  readonly inputs: readonly FetchedInput[];
  /**
   * The names to upload after the steps (the task's declared outputs, from the control plane);
   * undefined: every task file that is neither an input nor a sealed field.
   */
  readonly outputNames?: readonly string[] | undefined;
  /** Decrypts one fetched input to `path` (a temp file beside it, renamed when complete). */
  materialise(input: FetchedInput, path: string, signal: AbortSignal): Promise<void>;
  /** Encrypts and uploads one output; the reply's AssetRef goes into task.succeeded. */
  upload(file: OutputFile, signal: AbortSignal): Promise<AssetRef>;
  /** Opens one of the task's sealed fields (client text) with the project key. */
  openSealed(value: EncryptedField, aad: string): string;
  close(): void;
}

export interface InputFetcher {
  /** Fetches the task's data key and its inputs. Throws AssetTransferError / StaleLeaseError. */
  open(task: TaskAssignBody, signal: AbortSignal): Promise<TaskAssets>;
}

/** For tests of the runner: names paths, reads nothing, uploads nothing. */
export class StubInputFetcher implements InputFetcher {
  readonly #root: string;
  constructor(root: string) {
    this.#root = root;
  }
  open(task: TaskAssignBody): Promise<TaskAssets> {
    const inputs = task.inputs.map((ref) => ({ ref, path: `${this.#root}/${task.taskId}/${ref.name}` }));
    return Promise.resolve({
      inputs,
      materialise: () => Promise.reject(new Error('the stub input fetcher holds no data')),
      upload: () => Promise.reject(new Error('the stub input fetcher cannot upload')),
      openSealed: () => {
        throw new Error('the stub input fetcher holds no key');
      },
      close: () => undefined,
    });
  }
}
