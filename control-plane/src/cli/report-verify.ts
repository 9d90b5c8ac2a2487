#!/usr/bin/env node
// `enclave report verify FILE [--public-key PEM]`: checks a signed DPO report offline — the
// records of processing (GET /api/v1/privacy/records-of-processing) or the residency report
// (GET /api/v1/privacy/residency-report) — against its Ed25519 signature under the appliance's
// audit key. Exit 0 when it verifies, 1 when not, 2 for usage. Runs from source under Node 24's
// type stripping: imports only the pure verifier, node: modules and contracts. Pin the key with
// --public-key audit-signing-key.pub.pem (kept off the appliance).
import { verifySignedReport } from '../privacy-evidence/signed-report.ts';
import { readVerifyInput, runAsMain, type Printer } from './verify-command.ts';

export async function runReportCli(argv: readonly string[], out: Printer, err: Printer): Promise<number> {
  const input = await readVerifyInput('report', ['public-key'], argv, err);
  if (input === 2) return 2;
  const { file, text, pems } = input;
  const result = verifySignedReport(text, pems['public-key']);
  if (!result.ok) {
    err(`enclave report: ${file} does NOT verify: ${result.reason}`);
    return 1;
  }
  out(
    `enclave report: ${file} verifies: ${result.format}, generated ${result.generatedAt}, ` +
      `signed by the ${pems['public-key'] === undefined ? "file's own (unpinned)" : 'pinned'} key`,
  );
  return 0;
}

await runAsMain(import.meta, runReportCli);
