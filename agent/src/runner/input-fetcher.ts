// Inputs are assets the control plane serves over mTLS at /agent/v1/... (ciphertext; routes
// land with the encryption issue). Only the interface exists until then.
import type { AssetRef } from '@enclave/contracts';

export interface FetchedInput {
  ref: AssetRef;
  /** Where the verified plaintext lies in the task's scratch directory. */
  path: string;
}

export interface InputFetcher {
  fetch(taskId: string, refs: readonly AssetRef[], signal: AbortSignal): Promise<FetchedInput[]>;
}

/** For tasks without inputs and for tests: "fetches" by naming a path, reads nothing. */
export class StubInputFetcher implements InputFetcher {
  readonly #root: string;
  constructor(root: string) {
    this.#root = root;
  }
  fetch(taskId: string, refs: readonly AssetRef[]): Promise<FetchedInput[]> {
    return Promise.resolve(refs.map((ref) => ({ ref, path: `${this.#root}/${taskId}/${ref.name}` })));
  }
}
