// `enclave crl --dir DIR`: a freshly signed CRL in PEM on stdout. The root's CRL needs the
// passphrase to re-sign; without it the stored copy is printed.
import { CertificateAuthority } from '../certificate-authority.ts';
import { readPassphrase } from './cli-io.ts';
import { CliUsageError } from './cli-io.ts';
import {
  DIR_OPTION,
  optionalString,
  PASSPHRASE_FILE_OPTION,
  requiredString,
  type CliCommand,
} from './command.ts';

export const crlCommand: CliCommand = {
  words: ['crl'],
  summary: 'print a freshly signed CRL (PEM) on stdout',
  usage: 'enclave crl --dir DIR [--issuer intermediate|root] [--resign --passphrase-file FILE]',
  options: {
    ...DIR_OPTION,
    issuer: { type: 'string' },
    resign: { type: 'boolean' },
    ...PASSPHRASE_FILE_OPTION,
  },
  async run(values, io) {
    const issuer = optionalString(values, 'issuer') ?? 'intermediate';
    if (issuer !== 'intermediate' && issuer !== 'root')
      throw new CliUsageError('--issuer must be intermediate or root.');
    const resign = values['resign'] === true;
    if (resign && issuer !== 'root') throw new CliUsageError('--resign applies to --issuer root only.');
    const passphrase = resign
      ? await readPassphrase(io, optionalString(values, 'passphrase-file'))
      : undefined;
    const ca = await CertificateAuthority.open({
      dir: requiredString(values, 'dir'),
      ...(passphrase !== undefined ? { passphrase } : {}),
      ...(io.now ? { now: io.now } : {}),
    });
    io.stdout(await ca.crlPem({ issuer }));
  },
};
