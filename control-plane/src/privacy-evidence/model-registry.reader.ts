// Reads the gpu-node model manifest (the hash-pinned local model registry) as data. The control
// plane may not import gpu-node, so it reads the JSON file the gpu-node package ships and checks
// its shape with the attestation's own schema.
import {
  ContractError,
  ErrorCode,
  NoTrainingAttestationBodySchema,
  type NoTrainingAttestationBody,
} from '@enclave/contracts';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

export type ModelRegistry = NoTrainingAttestationBody['models'];

/** gpu-node/models.manifest.json next to this package (src/ and dist/ are both two levels down). */
export const DEFAULT_MODEL_MANIFEST_FILE = resolve(
  import.meta.dirname,
  '..',
  '..',
  '..',
  'gpu-node',
  'models.manifest.json',
);

export async function readModelRegistry(file: string = DEFAULT_MODEL_MANIFEST_FILE): Promise<ModelRegistry> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    // 503, not 500: an install without gpu-node's files is a setup problem the operator can fix.
    throw new ContractError(
      ErrorCode.UNAVAILABLE,
      'The model manifest cannot be read; set ENCLAVE_MODEL_MANIFEST_FILE to gpu-node/models.manifest.json.',
      [],
      { cause },
    );
  }
  const parsed = NoTrainingAttestationBodySchema.shape.models.safeParse(json);
  if (!parsed.success) {
    throw new ContractError(
      ErrorCode.UNAVAILABLE,
      `The model manifest is not a model manifest (${parsed.error.issues[0]?.message ?? 'bad shape'}); check ENCLAVE_MODEL_MANIFEST_FILE.`,
    );
  }
  return parsed.data;
}
