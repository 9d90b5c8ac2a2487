// `enclave ca export-root-key` / `import-root-key`: moving the encrypted root key offline and back.
import { exportRootKey, importRootKey } from '../root-key-custody.ts';
import { readPassphrase } from './cli-io.ts';
import {
  DIR_OPTION,
  optionalString,
  PASSPHRASE_FILE_OPTION,
  requiredString,
  type CliCommand,
} from './command.ts';

export const caExportRootKeyCommand: CliCommand = {
  words: ['ca', 'export-root-key'],
  summary: 'copy the encrypted root key out (and with --remove, take it off the appliance)',
  usage: 'enclave ca export-root-key --dir DIR --out FILE [--remove]',
  options: { ...DIR_OPTION, out: { type: 'string' }, remove: { type: 'boolean' } },
  async run(values, io) {
    const out = requiredString(values, 'out');
    await exportRootKey(requiredString(values, 'dir'), out, { remove: values['remove'] === true });
    io.stdout(
      `Encrypted root key written to ${out}${values['remove'] === true ? ' and removed from the CA directory' : ''}.\n`,
    );
  },
};

export const caImportRootKeyCommand: CliCommand = {
  words: ['ca', 'import-root-key'],
  summary: 'bring the offline root key back for a ceremony',
  usage: 'enclave ca import-root-key --dir DIR --in FILE [--passphrase-file FILE]',
  options: { ...DIR_OPTION, in: { type: 'string' }, ...PASSPHRASE_FILE_OPTION },
  async run(values, io) {
    const passphrase = await readPassphrase(io, optionalString(values, 'passphrase-file'));
    await importRootKey(requiredString(values, 'dir'), requiredString(values, 'in'), passphrase);
    io.stdout('Root key restored.\n');
  },
};
