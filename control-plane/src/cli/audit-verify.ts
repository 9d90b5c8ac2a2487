#!/usr/bin/env node
// `enclave audit verify FILE`: checks an audit export (GET /api/v1/audit/export) offline — the
// hash chain, and every checkpoint's Ed25519 signature under the public key in the file's
// header. Exit 0 when it verifies; 1 with a message naming the first bad seq otherwise; 2 for
// usage. Runs straight from source under Node 24's type stripping (no build): it imports only
// the pure verifier, node: modules and contracts. Compare the header's public key with the
// appliance's `audit-signing-key.pub.pem` (or pass --public-key FILE to insist on one).
import { parseAuditExport, verifyAuditLog } from '../audit/audit-verifier.ts';
import { readVerifyInput, runAsMain, type Printer } from './verify-command.ts';

export async function runAuditCli(argv: readonly string[], out: Printer, err: Printer): Promise<number> {
  const input = await readVerifyInput('audit', ['public-key'], argv, err);
  if (input === 2) return 2;
  const { file, text, pems } = input;
  const read = parseAuditExport(text);
  if ('problem' in read) {
    err(`enclave audit: ${file} does NOT verify: ${read.problem.reason} (seq ${read.problem.seq})`);
    return 1;
  }
  let log = read.log;
  const pinned = pems['public-key'];
  if (pinned !== undefined) {
    if (pinned.trim() !== log.publicKeyPem.trim()) {
      err(`enclave audit: ${file} does NOT verify: its public key is not the pinned one (seq 0)`);
      return 1;
    }
    log = { ...log, publicKeyPem: pinned };
  }
  const result = verifyAuditLog(log);
  if (!result.ok) {
    err(
      `enclave audit: ${file} does NOT verify: first bad seq ${result.problem?.seq}: ${result.problem?.reason}`,
    );
    return 1;
  }
  const last = result.lastCheckpoint;
  out(
    `enclave audit: ${file} verifies: ${result.entries} entries, ` +
      (last === null
        ? 'no signed checkpoint (entries after the last checkpoint could have been cut)'
        : `last signed checkpoint at seq ${last.seq} (${last.time})`),
  );
  return 0;
}

await runAsMain(import.meta, runAuditCli);
