// How a dynamic provider touches a host: run a command, put a file with a mode, read a file.
// Providers receive a HostConnection (plain JSON, stored in Pulumi state, never a key) and
// build the executor from it, so the same provider code runs against SSH and a local directory.

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface PutFileOptions {
  /** Octal permission bits, e.g. 0o600. */
  mode: number;
  /** `user:group`; applied where the executor can (see LocalExecutor). */
  owner: string;
}

export interface HostExecutor {
  /** Runs a `/bin/sh` command line as root on the host (sudo -n over SSH when not root). */
  run(command: string, options?: { stdin?: string }): Promise<CommandResult>;
  /** Writes atomically (temporary file, then rename) with the mode set before the rename. */
  putFile(path: string, content: string, options: PutFileOptions): Promise<void>;
  /** The file's text, or null when it does not exist. */
  readFile(path: string): Promise<string | null>;
  /** Removes the file; absent is fine. */
  removeFile(path: string): Promise<void>;
  /** A host path as commands run by `run` must spell it (a local executor is rooted elsewhere). */
  hostPath(path: string): string;
}

export interface SshConnection {
  kind: 'ssh';
  host: string;
  port: number;
  user: string;
  /** Private key file on the installing machine; only its path is stored. */
  identityFile?: string;
  /** Known-hosts file to check host keys against (StrictHostKeyChecking=yes). */
  knownHostsFile?: string;
}

export interface LocalConnection {
  kind: 'local';
  /** Directory standing for the host's `/`: tests and dry runs. */
  root: string;
}

export type HostConnection = SshConnection | LocalConnection;

export class HostCommandError extends Error {
  readonly result: CommandResult;
  constructor(command: string, result: CommandResult) {
    super(`command failed (exit ${result.code}): ${command}\n${result.stderr.trim()}`);
    this.name = 'HostCommandError';
    this.result = result;
  }
}

/** Runs and throws HostCommandError on a non-zero exit. */
export async function runChecked(executor: HostExecutor, command: string, stdin?: string): Promise<string> {
  const result = await executor.run(command, stdin === undefined ? {} : { stdin });
  if (result.code !== 0) throw new HostCommandError(command, result);
  return result.stdout;
}
