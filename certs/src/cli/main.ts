#!/usr/bin/env node
// Executable entry: `node certs/src/cli/main.ts ca init --dir DIR`. Wires the real process into
// runCertsCli; the top-level `enclave` command forwards its ca/cert/crl/token verbs here.
import { ReadStream } from 'node:tty';
import { promptHidden } from './hidden-prompt.ts';
import { runCertsCli } from './run-certs-cli.ts';

const stdin = process.stdin;
const interactive = stdin.isTTY && stdin instanceof ReadStream;

process.exitCode = await runCertsCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  ...(interactive ? { promptSecret: (prompt: string) => promptHidden(prompt, stdin, process.stderr) } : {}),
});
