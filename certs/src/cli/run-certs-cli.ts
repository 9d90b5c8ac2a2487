// Dispatches `enclave ca|cert|crl|token ...` to its verb. Every failure becomes one line on
// stderr and a non-zero exit code (2 for usage, 1 for everything else), never a stack trace:
// the CLI is run by operators at a console and by provisioning scripts that parse its output.
import { parseArgs } from 'node:util';
import { CertsError } from '../certs-error.ts';
import { caInitCommand } from './ca-init.command.ts';
import { caExportRootKeyCommand, caImportRootKeyCommand } from './ca-root-key.command.ts';
import { certIssueCommand } from './cert-issue.command.ts';
import { certListCommand } from './cert-list.command.ts';
import { certRevokeCommand } from './cert-revoke.command.ts';
import { CliUsageError, type CliIo } from './cli-io.ts';
import type { CliCommand } from './command.ts';
import { crlCommand } from './crl.command.ts';
import { tokenCreateCommand } from './token-create.command.ts';

export type { CliIo } from './cli-io.ts';

export const CERTS_COMMANDS: readonly CliCommand[] = [
  caInitCommand,
  caExportRootKeyCommand,
  caImportRootKeyCommand,
  certIssueCommand,
  certRevokeCommand,
  certListCommand,
  crlCommand,
  tokenCreateCommand,
];

/** Runs one verb; resolves to the process exit code. */
export async function runCertsCli(argv: readonly string[], io: CliIo): Promise<number> {
  const command = CERTS_COMMANDS.find((c) => c.words.every((word, i) => argv[i] === word));
  if (!command || argv.includes('--help') || argv.includes('-h')) {
    (command ? io.stdout : io.stderr)(command ? command.usage + '\n' : help());
    return command ? 0 : 2;
  }
  try {
    const { values } = parseArgs({
      args: [...argv.slice(command.words.length)],
      options: command.options,
      strict: true,
      allowPositionals: false,
    });
    await command.run(values, io);
    return 0;
  } catch (error) {
    io.stderr(`enclave: ${oneLine(error)}\n`);
    return error instanceof CliUsageError || isParseArgsError(error) ? 2 : 1;
  }
}

function oneLine(error: unknown): string {
  if (error instanceof CertsError || error instanceof CliUsageError) return error.message;
  if (isParseArgsError(error)) return error.message.split('\n')[0] ?? 'invalid arguments';
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error${code ? ` (${code})` : ''}: ${message.split('\n')[0]}`;
}

function isParseArgsError(error: unknown): error is Error {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

function help(): string {
  return [
    'usage:',
    ...CERTS_COMMANDS.map((c) => `  enclave ${c.words.join(' ').padEnd(20)} ${c.summary}`),
    '',
  ].join('\n');
}
