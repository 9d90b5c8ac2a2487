#!/usr/bin/env node
// `enclave attestation verify FILE [--public-key PEM]`: checks a no-training attestation
// (GET /api/v1/privacy/no-training-attestation) offline — its Ed25519 signature under the
// appliance's audit key. Exit 0 when it verifies, 1 when not, 2 for usage. Runs from source
// under Node 24's type stripping: imports only the pure verifier, node: modules and contracts.
import { verifyNoTrainingAttestation } from '../privacy-evidence/no-training-attestation.ts';
import { readVerifyInput, runAsMain, type Printer } from './verify-command.ts';

export async function runAttestationCli(
  argv: readonly string[],
  out: Printer,
  err: Printer,
): Promise<number> {
  const input = await readVerifyInput('attestation', ['public-key'], argv, err);
  if (input === 2) return 2;
  const { file, text, pems } = input;
  const result = verifyNoTrainingAttestation(text, pems['public-key']);
  if (!result.ok) {
    err(`enclave attestation: ${file} does NOT verify: ${result.reason}`);
    return 1;
  }
  const a = result.attestation.attestation;
  out(
    `enclave attestation: ${file} verifies: generated ${a.generatedAt}, ${a.models.files.length} pinned model file(s), ` +
      `${a.steps.length} step(s), none trains; allowed uses: ${a.policy.allowedUses.join(', ')}`,
  );
  return 0;
}

await runAsMain(import.meta, runAttestationCli);
