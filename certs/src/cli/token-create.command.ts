// `enclave token create --dir DIR --node ID`: a single-use enrollment token. The token alone goes
// to stdout (for scripts); the details go to stderr.
import { CertificateAuthority } from '../certificate-authority.ts';
import { parseProfile } from '../profiles.ts';
import {
  DIR_OPTION,
  list,
  optionalNumber,
  optionalString,
  requiredString,
  type CliCommand,
} from './command.ts';

export const tokenCreateCommand: CliCommand = {
  words: ['token', 'create'],
  summary: 'create a single-use enrollment token for a node',
  usage:
    'enclave token create --dir DIR --node ID [--profile node] [--ttl-hours 24] [--server-auth] [--dns NAME,...] [--ip ADDR,...]',
  options: {
    ...DIR_OPTION,
    node: { type: 'string' },
    profile: { type: 'string' },
    'ttl-hours': { type: 'string' },
    'server-auth': { type: 'boolean' },
    dns: { type: 'string', multiple: true },
    ip: { type: 'string', multiple: true },
    actor: { type: 'string' },
  },
  async run(values, io) {
    const profile = parseProfile(optionalString(values, 'profile') ?? 'node');
    const ttlHours = optionalNumber(values, 'ttl-hours');
    const actor = optionalString(values, 'actor');
    const ca = await CertificateAuthority.open({
      dir: requiredString(values, 'dir'),
      ...(io.now ? { now: io.now } : {}),
    });
    const created = await ca.createEnrollmentToken({
      name: requiredString(values, 'node'),
      profile,
      serverAuth: values['server-auth'] === true,
      dnsNames: list(values, 'dns'),
      ipAddresses: list(values, 'ip'),
      ...(ttlHours !== undefined ? { ttlHours } : {}),
      ...(actor !== undefined ? { actor } : {}),
    });
    io.stdout(created.token + '\n');
    io.stderr(
      `Token for ${created.principal} (${created.profile}), single use, expires ${created.expiresAt.toISOString()}.\n`,
    );
  },
};
