// The signed no-training attestation (privacy policy §4B): what models a node can load (the
// hash-pinned manifest), what steps exist (none trains: the catalogue is the whole of what a node
// runs), and the production-only policy the job submission enforces — signed with the audit key.
import {
  ALLOWED_DATA_USES,
  DATA_CATEGORIES,
  DataUse,
  STEP_CATALOGUE,
  STEP_NAMES,
  type NoTrainingAttestation,
  type NoTrainingAttestationBody,
} from '@enclave/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { AuditSigningKey } from '../audit/audit-signing-key.ts';
import { Clock } from '../common/clock.ts';
import { CONTROL_PLANE_CONFIG, type ControlPlaneConfig } from '../config/control-plane.config.ts';
import { readModelRegistry } from './model-registry.reader.ts';
import { attestationSigningBytes } from './no-training-attestation.ts';

export const NO_TRAINING_STATEMENT =
  'No client data (footage, voice, brand assets, prompts, outputs) is used to train, fine-tune or evaluate any model. ' +
  'Nodes load only the model files listed here, each checked against its SHA-256 before use; no step in the catalogue trains; ' +
  'job submissions declaring any purpose but production are refused; nodes have no route out of the facility.';

@Injectable()
export class NoTrainingAttestations {
  constructor(
    private readonly key: AuditSigningKey,
    private readonly clock: Clock,
    @Inject(CONTROL_PLANE_CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  async generate(): Promise<NoTrainingAttestation> {
    const models = await readModelRegistry(this.config.ENCLAVE_MODEL_MANIFEST_FILE);
    const attestation: NoTrainingAttestationBody = {
      format: 'enclave-no-training-attestation/v1',
      generatedAt: this.clock.now().toISOString(),
      statement: NO_TRAINING_STATEMENT,
      models,
      steps: STEP_NAMES.map((name) => ({
        name,
        needs: STEP_CATALOGUE[name].needs,
        summary: STEP_CATALOGUE[name].summary,
        trains: false as const,
      })),
      policy: {
        allowedUses: [...ALLOWED_DATA_USES],
        refusedUses: [DataUse.Training],
        dataCategories: [...DATA_CATEGORIES],
        egress:
          'denied: the agent egress guard, the nftables ruleset and step sandboxes without a network (residency report: GET /api/v1/privacy/residency-report)',
      },
    };
    return {
      attestation,
      signature: this.key.sign(attestationSigningBytes(attestation)),
      publicKeyPem: this.key.publicKeyPem,
    };
  }
}
