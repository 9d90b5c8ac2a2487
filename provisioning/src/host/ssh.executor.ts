// The production executor: OpenSSH's `ssh` client (no npm SSH stack, no provider plugin). Host
// keys are checked strictly; BatchMode forbids password prompts. Non-root users go through
// `sudo -n`, so a missing sudoers rule fails fast instead of hanging.
import type { CommandResult, HostExecutor, PutFileOptions, SshConnection } from './host-executor.ts';
import { HostCommandError } from './host-executor.ts';
import { shellQuote } from './shell-quote.ts';
import { spawnCapture } from './spawn-capture.ts';

export class SshExecutor implements HostExecutor {
  readonly connection: SshConnection;

  constructor(connection: SshConnection) {
    this.connection = connection;
  }

  hostPath(path: string): string {
    return path;
  }

  /** The ssh argument vector for one remote command (exported for tests of the quoting). */
  sshArgs(command: string): string[] {
    const c = this.connection;
    const args = [
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'ConnectTimeout=15',
      '-p',
      String(c.port),
    ];
    if (c.identityFile) args.push('-i', c.identityFile, '-o', 'IdentitiesOnly=yes');
    if (c.knownHostsFile) args.push('-o', `UserKnownHostsFile=${c.knownHostsFile}`);
    const asRoot = c.user === 'root' ? '' : 'sudo -n ';
    args.push(`${c.user}@${c.host}`, '--', `${asRoot}/bin/sh -c ${shellQuote(command)}`);
    return args;
  }

  run(command: string, options: { stdin?: string } = {}): Promise<CommandResult> {
    return spawnCapture(
      'ssh',
      this.sshArgs(command),
      options.stdin === undefined ? {} : { stdin: options.stdin },
    );
  }

  async putFile(path: string, content: string, options: PutFileOptions): Promise<void> {
    const p = shellQuote(path);
    const script = [
      'set -eu',
      'umask 077',
      `d=$(dirname ${p})`,
      'mkdir -p "$d"',
      `t=$(mktemp "$d/.enclave.XXXXXX")`,
      'cat > "$t"',
      `chmod ${options.mode.toString(8).padStart(4, '0')} "$t"`,
      `chown ${shellQuote(options.owner)} "$t"`,
      `mv -f "$t" ${p}`,
    ].join('\n');
    const result = await this.run(script, { stdin: content });
    if (result.code !== 0) throw new HostCommandError(`put ${path}`, result);
  }

  async readFile(path: string): Promise<string | null> {
    const p = shellQuote(path);
    const result = await this.run(`if [ -e ${p} ]; then cat ${p}; else exit 3; fi`);
    if (result.code === 3) return null;
    if (result.code !== 0) throw new HostCommandError(`read ${path}`, result);
    return result.stdout;
  }

  async removeFile(path: string): Promise<void> {
    const result = await this.run(`rm -f ${shellQuote(path)}`);
    if (result.code !== 0) throw new HostCommandError(`rm ${path}`, result);
  }
}
