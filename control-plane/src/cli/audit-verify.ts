#!/usr/bin/env node
// `enclave audit verify FILE`: checks an audit export (GET /api/v1/audit/export) offline — the
// hash chain, and every checkpoint's Ed25519 signature under the public key in the file's
// header. Exit 0 when it verifies; 1 with a message naming the first bad seq otherwise; 2 for
// usage. Runs straight from source under Node 24's type stripping (no build): it imports only
// the pure verifier, node: modules and contracts. Compare the header's public key with the
// appliance's `audit-signing-key.pub.pem` (or pass --public-key FILE to insist on one).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseAuditExport, verifyAuditLog } from '../audit/audit-verifier.ts';

const USAGE = 'usage: enclave audit verify FILE [--public-key PEM_FILE]';

export async function runAuditCli(
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
    err(`enclave audit: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [verb, file, ...extra] = parsed.positionals;
  if (verb !== 'verify' || file === undefined || extra.length > 0) {
    err(USAGE);
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    err(`enclave audit: cannot read ${file}: ${(error as Error).message}`);
    return 2;
  }
  const read = parseAuditExport(text);
  if ('problem' in read) {
    err(`enclave audit: ${file} does NOT verify: ${read.problem.reason} (seq ${read.problem.seq})`);
    return 1;
  }
  let log = read.log;
  const pinned = parsed.values['public-key'];
  if (pinned !== undefined) {
    const pem = await readFile(pinned, 'utf8');
    if (pem.trim() !== log.publicKeyPem.trim()) {
      err(`enclave audit: ${file} does NOT verify: its public key is not the one in ${pinned} (seq 0)`);
      return 1;
    }
    log = { ...log, publicKeyPem: pem };
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

if (import.meta.main) {
  process.exitCode = await runAuditCli(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  );
}
