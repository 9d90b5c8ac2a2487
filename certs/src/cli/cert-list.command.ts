// `enclave cert list`: every leaf from the issuance log with its status now.
import { CertificateAuthority } from '../certificate-authority.ts';
import { DIR_OPTION, requiredString, type CliCommand } from './command.ts';

export const certListCommand: CliCommand = {
  words: ['cert', 'list'],
  summary: 'list issued certificates and whether they are valid, expired or revoked',
  usage: 'enclave cert list --dir DIR [--json]',
  options: { ...DIR_OPTION, json: { type: 'boolean' } },
  async run(values, io) {
    const ca = await CertificateAuthority.open({
      dir: requiredString(values, 'dir'),
      ...(io.now ? { now: io.now } : {}),
    });
    const rows = await ca.listCertificates();
    if (values['json'] === true) {
      io.stdout(JSON.stringify(rows, null, 2) + '\n');
      return;
    }
    const table = [
      ['SERIAL', 'PRINCIPAL', 'PROFILE', 'STATUS', 'NOT AFTER'],
      ...rows.map((r) => [r.serial, r.principal, r.profile, r.status, r.notAfter]),
    ];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
    io.stdout(
      table
        .map(
          (row) =>
            row
              .map((cell, i) => cell.padEnd(widths[i]!))
              .join('  ')
              .trimEnd() + '\n',
        )
        .join(''),
    );
  },
};
