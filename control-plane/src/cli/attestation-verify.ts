#!/usr/bin/env node
// `enclave attestation verify FILE [--public-key PEM]`: checks a no-training attestation
// (GET /api/v1/privacy/no-training-attestation) offline — its Ed25519 signature under the
// appliance's audit key. Exit 0 when it verifies, 1 when not, 2 for usage. Runs from source
// under Node 24's type stripping: imports only the pure verifier, node: modules and contracts.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyNoTrainingAttestation } from '../privacy-evidence/no-training-attestation.ts';

const USAGE = 'usage: enclave attestation verify FILE [--public-key PEM_FILE]';

export async function runAttestationCli(
  argv: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { 'public-key': { type: 'string' } },
    });
  } catch (error) {
    err(`enclave attestation: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [verb, file, ...extra] = parsed.positionals;
  if (verb !== 'verify' || file === undefined || extra.length > 0) {
    err(USAGE);
    return 2;
  }
  let text: string;
  let pinned: string | undefined;
  try {
    text = await readFile(file, 'utf8');
    const keyFile = parsed.values['public-key'];
    if (keyFile !== undefined) pinned = await readFile(keyFile, 'utf8');
  } catch (error) {
    err(`enclave attestation: cannot read: ${(error as Error).message}`);
    return 2;
  }
  const result = verifyNoTrainingAttestation(text, pinned);
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

if (import.meta.main) {
  process.exitCode = await runAttestationCli(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  );
}
