// Entry point of `enclave agent ...` (bin/enclave) and of the systemd unit.
import { runAgentCli } from './run-agent-cli.ts';
import { startDaemon } from './start-daemon.ts';

const code = await runAgentCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
  startDaemon: (config) => startDaemon(config, process.env),
});
process.exitCode = code;
