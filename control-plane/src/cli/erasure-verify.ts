#!/usr/bin/env node
// `enclave erasure verify FILE [--public-key PEM] [--node-ca PEM]`: checks an erasure certificate
// (GET /api/v1/privacy/requests/{id}/certificate) offline — its Ed25519 signature under the
// appliance's audit key, and each embedded node receipt against its node certificate and the
// node CA (pinned with --node-ca: the appliance's intermediate CA certificate). Exit 0 when it verifies, 1 when not, 2 for usage. Runs from source
// under Node 24's type stripping: imports only the pure verifier, node: modules and contracts.
// The certificate names the audit seq that records the erasure: check it in an audit export.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { verifyErasureCertificate } from '../privacy/erasure-certificate.ts';

const USAGE = 'usage: enclave erasure verify FILE [--public-key PEM_FILE] [--node-ca PEM_FILE]';

export async function runErasureCli(
  argv: readonly string[],
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { 'public-key': { type: 'string' }, 'node-ca': { type: 'string' } },
    });
  } catch (error) {
    err(`enclave erasure: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [verb, file, ...extra] = parsed.positionals;
  if (verb !== 'verify' || file === undefined || extra.length > 0) {
    err(USAGE);
    return 2;
  }
  let text: string;
  let pinned: string | undefined;
  let nodeCa: string | undefined;
  try {
    text = await readFile(file, 'utf8');
    const keyFile = parsed.values['public-key'];
    if (keyFile !== undefined) pinned = await readFile(keyFile, 'utf8');
    const caFile = parsed.values['node-ca'];
    if (caFile !== undefined) nodeCa = await readFile(caFile, 'utf8');
  } catch (error) {
    err(`enclave erasure: cannot read: ${(error as Error).message}`);
    return 2;
  }
  const result = verifyErasureCertificate(text, pinned, nodeCa);
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

if (import.meta.main) {
  process.exitCode = await runErasureCli(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  );
}
