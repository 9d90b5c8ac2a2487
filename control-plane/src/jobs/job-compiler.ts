// Template + validated parameters → the job's task DAG, with the project's assets resolved and
// client text sealed. Compiling is pure and synchronous (templates/job-template.ts), so assets
// are found in two passes: a dry run records which asset ids the template asks for, those are
// loaded (only within the caller's tenant and the project), and the real run uses them.
import { ContractError, ErrorCode, type AssetRef, type EncryptedField } from '@enclave/contracts';
import { checkCompiledJob, type CompiledJob, type JobTemplate } from '../templates/index.ts';
import type { AssetRow } from '../database/entities/asset.entity.ts';
import { wireName } from './wire-name.ts';

const PLACEHOLDER_FIELD: EncryptedField = {
  keyId: 'dry-run',
  alg: 'A256GCM',
  iv: 'AAAAAAAAAAAAAAAA',
  ct: '',
  tag: 'AAAAAAAAAAAAAAAAAAAAAA',
};

/** The asset ids a template asks for with these parameters. */
export function assetIdsOf(template: JobTemplate, params: unknown): string[] {
  const ids = new Set<string>();
  template.compile(params, {
    asset: (assetId) => {
      ids.add(assetId);
      return {
        name: 'dry',
        assetId,
        mediaType: 'application/octet-stream',
        sizeBytes: 0,
        sha256: '0'.repeat(64),
      };
    },
    seal: () => PLACEHOLDER_FIELD,
  });
  return [...ids];
}

export function compileJob(
  template: JobTemplate,
  params: unknown,
  assets: ReadonlyMap<string, AssetRow>,
  seal: (field: string, plaintext: string) => EncryptedField,
): CompiledJob {
  const compiled = template.compile(params, {
    asset: (assetId): AssetRef => {
      const row = assets.get(assetId);
      if (row === undefined) throw missingAsset(assetId);
      return {
        name: wireName(row.name),
        assetId: row.id,
        mediaType: row.mediaType,
        sizeBytes: row.sizeBytes,
        sha256: row.sha256,
      };
    },
    seal,
  });
  const problems = checkCompiledJob(compiled);
  if (problems.length > 0) {
    // A template that compiles valid parameters into a bad DAG is our bug, not the caller's.
    throw new Error(`Template ${template.id} compiled an invalid job: ${problems.join('; ')}`);
  }
  return compiled;
}

export function missingAsset(assetId: string): ContractError {
  return new ContractError(ErrorCode.VALIDATION_FAILED, `Asset ${assetId} is not in this project.`, [
    { path: 'body.params', message: `asset ${assetId} is not in this project` },
  ]);
}
