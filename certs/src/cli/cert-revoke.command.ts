// `enclave cert revoke`: by serial, or every certificate of a node or principal. Prints what was
// revoked; the intermediate CRL file in the CA directory is refreshed as part of the revocation.
import { CertificateAuthority } from '../certificate-authority.ts';
import { parseRevocationReason } from '../revocation-reasons.ts';
import { CliUsageError } from './cli-io.ts';
import { DIR_OPTION, optionalString, requiredString, type CliCommand } from './command.ts';

export const certRevokeCommand: CliCommand = {
  words: ['cert', 'revoke'],
  summary: 'revoke a certificate by serial, or all certificates of a node or principal',
  usage:
    'enclave cert revoke --dir DIR (--serial HEX | --node ID | --principal P) [--reason keyCompromise|...] [--actor NAME]',
  options: {
    ...DIR_OPTION,
    serial: { type: 'string' },
    node: { type: 'string' },
    principal: { type: 'string' },
    reason: { type: 'string' },
    actor: { type: 'string' },
  },
  async run(values, io) {
    const serial = optionalString(values, 'serial');
    const nodeId = optionalString(values, 'node');
    const principal = optionalString(values, 'principal');
    if ([serial, nodeId, principal].filter((v) => v !== undefined).length !== 1) {
      throw new CliUsageError('Give exactly one of --serial, --node or --principal.');
    }
    const reasonText = optionalString(values, 'reason');
    const actor = optionalString(values, 'actor');
    const ca = await CertificateAuthority.open({
      dir: requiredString(values, 'dir'),
      ...(io.now ? { now: io.now } : {}),
    });
    const revoked = await ca.revoke({
      ...(serial !== undefined ? { serial } : {}),
      ...(nodeId !== undefined ? { nodeId } : {}),
      ...(principal !== undefined ? { principal } : {}),
      ...(reasonText !== undefined ? { reason: parseRevocationReason(reasonText) } : {}),
      ...(actor !== undefined ? { actor } : {}),
    });
    if (revoked.length === 0) {
      io.stdout('Already revoked; nothing new recorded.\n');
      return;
    }
    io.stdout(revoked.map((r) => `revoked ${r.serial} (${r.principal}, ${r.reason})\n`).join(''));
  },
};
