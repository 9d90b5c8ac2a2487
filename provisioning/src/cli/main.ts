// Entry of `enclave install` (bin/enclave dispatches here with the verb first).
import { runInstall } from './install.command.ts';

const argv = process.argv.slice(2);
if (argv[0] === 'install') argv.shift();
try {
  process.exitCode = await runInstall(argv, {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
  });
} catch (error) {
  process.stderr.write(`enclave install: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
