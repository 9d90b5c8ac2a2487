// What a CLI verb may touch of the outside world, injected so tests can run verbs in-process and
// main.ts wires the real process. Secrets come from a file, the environment or a hidden prompt,
// never from a command-line argument (which `ps` would show).
import { readFile } from 'node:fs/promises';
import { CertsError } from '../certs-error.ts';
import type { Clock } from '../clock.ts';

export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Present when a person is at a terminal: reads a line without echoing it. */
  readonly promptSecret?: (prompt: string) => Promise<string>;
  readonly now?: Clock;
}

/** Bad usage (missing option, unknown verb): exit code 2, like most Unix tools. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export const PASSPHRASE_ENV = 'ENCLAVE_CA_PASSPHRASE';

export async function readPassphrase(
  io: CliIo,
  passphraseFile: string | undefined,
  options: { confirm?: boolean } = {},
): Promise<string> {
  if (passphraseFile !== undefined) {
    let text: string;
    try {
      text = await readFile(passphraseFile, 'utf8');
    } catch {
      throw new CliUsageError(`Cannot read the passphrase file ${passphraseFile}.`);
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (passphrase === '') throw new CliUsageError(`The passphrase file ${passphraseFile} is empty.`);
    return passphrase;
  }
  const fromEnv = io.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (io.promptSecret) {
    const passphrase = await io.promptSecret('CA passphrase: ');
    if (options.confirm && (await io.promptSecret('Repeat the CA passphrase: ')) !== passphrase) {
      throw new CliUsageError('The two passphrases differ.');
    }
    return passphrase;
  }
  throw new CertsError(
    'PASSPHRASE_REQUIRED',
    `The CA passphrase is needed: use --passphrase-file FILE or set ${PASSPHRASE_ENV}.`,
  );
}
