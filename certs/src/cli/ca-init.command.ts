// `enclave ca init --dir DIR [--passphrase-file FILE]`: the CA ceremony.
import { CertificateAuthority } from '../certificate-authority.ts';
import { CertsError } from '../certs-error.ts';
import { readPassphrase } from './cli-io.ts';
import {
  DIR_OPTION,
  optionalString,
  PASSPHRASE_FILE_OPTION,
  requiredString,
  type CliCommand,
} from './command.ts';

export const caInitCommand: CliCommand = {
  words: ['ca', 'init'],
  summary: 'create the root and the online intermediate CA',
  usage: 'enclave ca init --dir DIR [--passphrase-file FILE] [--actor NAME]',
  options: { ...DIR_OPTION, ...PASSPHRASE_FILE_OPTION, actor: { type: 'string' } },
  async run(values, io) {
    const dir = requiredString(values, 'dir');
    // Refuse before asking for a passphrase the operator would type for nothing.
    if (await CertificateAuthority.exists(dir)) {
      throw new CertsError('CA_EXISTS', `${dir} already holds a CA; refusing to overwrite it.`);
    }
    const passphrase = await readPassphrase(io, optionalString(values, 'passphrase-file'), { confirm: true });
    const ca = await CertificateAuthority.init({
      dir,
      passphrase,
      ...(io.now ? { now: io.now } : {}),
      actor: optionalString(values, 'actor') ?? 'operator',
    });
    io.stdout(
      [
        `CA created in ${ca.dir}`,
        `CA pin (in every enrollment token): sha256:${ca.caPin}`,
        'Next: back up root.key.pem (encrypted) to offline media; see docs/operations.md.',
        '',
      ].join('\n'),
    );
  },
};
