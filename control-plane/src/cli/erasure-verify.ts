#!/usr/bin/env node
// `enclave erasure verify FILE [--public-key PEM] [--node-ca PEM]`: checks an erasure certificate
// (GET /api/v1/privacy/requests/{id}/certificate) offline — its Ed25519 signature under the
// appliance's audit key, and each embedded node receipt against its node certificate and the
// node CA (pinned with --node-ca: the appliance's intermediate CA certificate). Exit 0 when it verifies, 1 when not, 2 for usage. Runs from source
// under Node 24's type stripping: imports only the pure verifier, node: modules and contracts.
// The certificate names the audit seq that records the erasure: check it in an audit export.
import { verifyErasureCertificate } from '../privacy/erasure-certificate.ts';
import { readVerifyInput, runAsMain, type Printer } from './verify-command.ts';

export async function runErasureCli(argv: readonly string[], out: Printer, err: Printer): Promise<number> {
  const input = await readVerifyInput('erasure', ['public-key', 'node-ca'], argv, err);
  if (input === 2) return 2;
  const { file, text, pems } = input;
  const result = verifyErasureCertificate(text, pems['public-key'], pems['node-ca']);
  if (!result.ok) {
    err(`enclave erasure: ${file} does NOT verify: ${result.reason}`);
    return 1;
  }
  const c = result.certificate.certificate;
  const rows = c.nodeReceipts ?? [];
  const erased = rows.filter((row) => row.status === 'erased').length;
  out(
    `enclave erasure: ${file} verifies: request ${c.requestId}, subject ${c.subjectPseudonym}, ` +
      `${c.destroyedKeyIds.length} key(s) destroyed, erased ${c.erasedAt}, audit seq ${c.auditSeq}, ` +
      `node receipts ${erased}/${rows.length} erased (signatures verified)`,
  );
  return 0;
}

await runAsMain(import.meta, runErasureCli);
