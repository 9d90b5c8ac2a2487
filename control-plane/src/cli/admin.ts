// Entry point of the admin CLI; see admin-cli.ts.
import 'reflect-metadata';
import { runAdminCli } from './admin-cli.ts';

const code = await runAdminCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
