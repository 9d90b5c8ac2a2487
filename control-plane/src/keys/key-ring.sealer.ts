// The Sealer on the key ring: client text is sealed under the project's DEK (AES-256-GCM,
// @enclave/crypto encryptField) with the AAD scheme of jobs/sealer.ts. An agent holding the live
// assignment fetches that DEK (GET /agent/v1/tasks/:taskId/data-key) to open it; destroying the
// DEK (project erasure) makes every sealed field of the project unreadable, in Kafka too.
import { encryptField } from '@enclave/crypto';
import { Injectable } from '@nestjs/common';
import { Sealer, sealedFieldAad, type ProjectSealer } from '../jobs/sealer.ts';
import { ProjectKeys } from './project-keys.service.ts';

@Injectable()
export class KeyRingSealer extends Sealer {
  constructor(private readonly keys: ProjectKeys) {
    super();
  }

  async forProject(tenantId: string, projectId: string): Promise<ProjectSealer> {
    const key = await this.keys.dataKey({ tenantId, projectId });
    return {
      seal: (jobId, field, plaintext) =>
        encryptField(key, plaintext, sealedFieldAad({ tenantId, jobId, field })),
      close: () => key.destroy(),
    };
  }
}
