// Client text (scripts, prompts, on-screen words) leaves the control plane only sealed: an
// AES-256-GCM EncryptedField under the project's DEK, bound by its additional data to the
// tenant, job and field, so a sealed value copied into another job does not open there. The AAD
// is derivable from a task.assign envelope: `enclave/sealed/v1/<tenantId>/<jobId>/<field>`.
// The implementation on the key ring is keys/key-ring.sealer.ts.
import type { EncryptedField } from '@enclave/contracts';

export interface SealContext {
  readonly tenantId: string;
  readonly projectId: string;
  readonly jobId: string;
  readonly field: string;
}

/** Seals fields of one project's jobs; `close` zero-fills the key it holds. */
export interface ProjectSealer {
  seal(jobId: string, field: string, plaintext: string): EncryptedField;
  close(): void;
}

export abstract class Sealer {
  /** The project's key is fetched (or made) once; sealing itself is synchronous (templates compile synchronously). */
  abstract forProject(tenantId: string, projectId: string): Promise<ProjectSealer>;
}

export function sealedFieldAad(context: Pick<SealContext, 'tenantId' | 'jobId' | 'field'>): string {
  return `enclave/sealed/v1/${context.tenantId}/${context.jobId}/${context.field}`;
}
