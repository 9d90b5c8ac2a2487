// The shared front of the offline `enclave <noun> verify FILE [--<pem option> PEM_FILE]...`
// commands (audit exports, erasure certificates, no-training attestations): argument parsing,
// reading the file and the pinned PEM files, and the exit-code convention — 0 verifies,
// 1 does not, 2 usage or unreadable input. Pure node: modules, so the commands still run from
// source under Node 24's type stripping.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

export type Printer = (line: string) => void;

export interface VerifyInput<P extends string> {
  readonly file: string;
  readonly text: string;
  /** The contents of each PEM option given, by option name. */
  readonly pems: Partial<Record<P, string>>;
}

/** Parses and reads; resolves with the input, or with exit code 2 after saying why on `err`. */
export async function readVerifyInput<P extends string>(
  noun: string,
  pemOptions: readonly P[],
  argv: readonly string[],
  err: Printer,
): Promise<VerifyInput<P> | 2> {
  const usage = `usage: enclave ${noun} verify FILE${pemOptions.map((o) => ` [--${o} PEM_FILE]`).join('')}`;
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: Object.fromEntries(pemOptions.map((o) => [o, { type: 'string' as const }])),
    });
  } catch (error) {
    err(`enclave ${noun}: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  const [verb, file, ...extra] = parsed.positionals;
  if (verb !== 'verify' || file === undefined || extra.length > 0) {
    err(usage);
    return 2;
  }
  const pems: Partial<Record<P, string>> = {};
  let path = file;
  try {
    const text = await readFile(file, 'utf8');
    for (const option of pemOptions) {
      const pemFile = parsed.values[option];
      if (typeof pemFile !== 'string') continue;
      path = pemFile;
      pems[option] = await readFile(pemFile, 'utf8');
    }
    return { file, text, pems };
  } catch (error) {
    err(`enclave ${noun}: cannot read ${path}: ${(error as Error).message}`);
    return 2;
  }
}

/** Runs a command's main when the file is executed directly (not imported by a test). */
export async function runAsMain(
  meta: ImportMeta,
  command: (argv: readonly string[], out: Printer, err: Printer) => Promise<number>,
): Promise<void> {
  if (!meta.main) return;
  process.exitCode = await command(
    process.argv.slice(2),
    (line) => process.stdout.write(`${line}\n`),
    (line) => process.stderr.write(`${line}\n`),
  );
}
