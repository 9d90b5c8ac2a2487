// Entry point of `enclave keys`; see keys-cli.ts.
import 'reflect-metadata';
import { runKeysCli } from './keys-cli.ts';

const code = await runKeysCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
