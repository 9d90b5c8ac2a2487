// The SSH executor against a real OpenSSH server: a private sshd on 127.0.0.1:20822 with its own
// host key and one authorized client key, so host-key checking, quoting, stdin and exit codes
// are the real ones. (Root here: the session runs as root, so no sudo is involved.)
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostCommandError, type SshConnection } from '../src/host/host-executor.ts';
import { SshExecutor } from '../src/host/ssh.executor.ts';
import { remoteFileProvider } from '../src/providers/remote-file.provider.ts';

const PORT = 20822;
let dir: string;
let sshd: ChildProcess | undefined;
let connection: SshConnection;

const keygen = (file: string) =>
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', file], { stdio: 'pipe' });

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return;
    await sleep(100);
  }
  throw new Error(`sshd did not listen on ${port}`);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'enclave-sshd-'));
  keygen(join(dir, 'host_key'));
  keygen(join(dir, 'client_key'));
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'client_key.pub')), { mode: 0o600 });
  const hostPub = (await readFile(join(dir, 'host_key.pub'), 'utf8')).trim().split(' ').slice(0, 2).join(' ');
  await writeFile(join(dir, 'known_hosts'), `[127.0.0.1]:${PORT} ${hostPub}\n`);
  await writeFile(
    join(dir, 'sshd_config'),
    [
      `ListenAddress 127.0.0.1:${PORT}`,
      `HostKey ${join(dir, 'host_key')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      'PermitRootLogin prohibit-password',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      '',
    ].join('\n'),
  );
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }); // sshd's privilege-separation directory
  sshd = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await waitForPort(PORT);
  connection = {
    kind: 'ssh',
    host: '127.0.0.1',
    port: PORT,
    user: 'root',
    identityFile: join(dir, 'client_key'),
    knownHostsFile: join(dir, 'known_hosts'),
  };
}, 30_000);

afterAll(async () => {
  sshd?.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

describe('SshExecutor (real sshd)', () => {
  it('runs a command with stdin, quoting intact, and reports the exit code', async () => {
    const ssh = new SshExecutor(connection);
    const result = await ssh.run(`printf '%s|' "it's" "$(cat)"; exit 3`, { stdin: 'from stdin' });
    expect(result).toEqual({ code: 3, stdout: "it's|from stdin|", stderr: '' });
  });

  it('puts a file atomically with its mode, reads it back, removes it', async () => {
    const ssh = new SshExecutor(connection);
    const path = join(dir, 'remote', 'etc', "agent's.env");
    await ssh.putFile(path, 'ENCLAVE_AGENT_TOKEN=x\n', { mode: 0o600, owner: 'root:root' });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(await ssh.readFile(path)).toBe('ENCLAVE_AGENT_TOKEN=x\n');
    await ssh.removeFile(path);
    expect(existsSync(path)).toBe(false);
    expect(await ssh.readFile(path)).toBeNull();
  });

  it('the RemoteFile provider works over SSH', async () => {
    const path = join(dir, 'remote', 'unit.conf');
    const created = await remoteFileProvider.create({
      connection,
      path,
      content: 'a=1\n',
      mode: 0o644,
      owner: 'root:root',
    });
    expect(await readFile(path, 'utf8')).toBe('a=1\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    await remoteFileProvider.delete(created.id, created.outs!);
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a host whose key is not the known one (no prompt, no connection)', async () => {
    keygen(join(dir, 'other_key'));
    const otherPub = (await readFile(join(dir, 'other_key.pub'), 'utf8'))
      .trim()
      .split(' ')
      .slice(0, 2)
      .join(' ');
    await writeFile(join(dir, 'wrong_known_hosts'), `[127.0.0.1]:${PORT} ${otherPub}\n`);
    const ssh = new SshExecutor({ ...connection, knownHostsFile: join(dir, 'wrong_known_hosts') });
    const result = await ssh.run('true');
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(/HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
    await expect(
      ssh.putFile(join(dir, 'never'), 'x', { mode: 0o600, owner: 'root:root' }),
    ).rejects.toBeInstanceOf(HostCommandError);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
