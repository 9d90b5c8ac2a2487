// `enclave cert issue`: an operator-issued certificate (brokers, the control plane, operators,
// or a node set up by hand). Writes key.pem, cert.pem, chain.pem and ca.pem into --out.
import { CertificateAuthority } from '../certificate-authority.ts';
import { writeIssued } from '../issued-certificate.ts';
import { parseProfile } from '../profiles.ts';
import {
  DIR_OPTION,
  list,
  optionalNumber,
  optionalString,
  requiredString,
  type CliCommand,
} from './command.ts';

export const certIssueCommand: CliCommand = {
  words: ['cert', 'issue'],
  summary: 'issue a certificate and key for a profile',
  usage:
    'enclave cert issue --dir DIR --profile control-plane|broker|node|operator --name NAME --out OUTDIR\n' +
    '                   [--dns NAME,...] [--ip ADDR,...] [--lifetime-hours H] [--server-auth] [--actor NAME]',
  options: {
    ...DIR_OPTION,
    profile: { type: 'string' },
    name: { type: 'string' },
    out: { type: 'string' },
    dns: { type: 'string', multiple: true },
    ip: { type: 'string', multiple: true },
    'lifetime-hours': { type: 'string' },
    'server-auth': { type: 'boolean' },
    actor: { type: 'string' },
  },
  async run(values, io) {
    const profile = parseProfile(requiredString(values, 'profile'));
    const name = requiredString(values, 'name');
    const out = requiredString(values, 'out');
    const ca = await CertificateAuthority.open({
      dir: requiredString(values, 'dir'),
      ...(io.now ? { now: io.now } : {}),
    });
    const lifetimeHours = optionalNumber(values, 'lifetime-hours');
    const actor = optionalString(values, 'actor');
    const issued = await ca.issue({
      profile,
      name,
      dnsNames: list(values, 'dns'),
      ipAddresses: list(values, 'ip'),
      serverAuth: values['server-auth'] === true,
      ...(lifetimeHours !== undefined ? { lifetimeHours } : {}),
      ...(actor !== undefined ? { actor } : {}),
    });
    const files = await writeIssued(out, issued);
    io.stdout(
      [
        `Issued ${issued.subject}`,
        `serial ${issued.serial}, valid until ${issued.notAfter.toISOString()}`,
        ...Object.values(files).map((f) => `wrote ${f}`),
        '',
      ].join('\n'),
    );
  },
};
