// The real openssl binary, as an independent judge of what the CA produces.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(
  command: string,
  args: readonly string[],
  input?: string,
  timeoutMs = 20_000,
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Without input, stdin is closed from the start: a command that exits before reading a pipe
    // would otherwise fail our write with EPIPE (seen under load), an error that is not its own.
    const child = spawn(command, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (child.stdin) {
      // A command may exit without reading all of its input; its exit code is the verdict.
      child.stdin.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EPIPE') reject(error);
      });
      child.stdin.end(input);
    }
  });
}

export const openssl = (args: readonly string[], input?: string) => run('openssl', args, input);

/** Writes PEM strings into `dir` and returns their paths, for openssl's file arguments. */
export async function pemFiles<T extends Record<string, string>>(
  dir: string,
  files: T,
): Promise<{ [K in keyof T]: string }> {
  const out: Record<string, string> = {};
  for (const [name, pem] of Object.entries(files)) {
    out[name] = join(dir, `${name}.pem`);
    await writeFile(out[name], pem);
  }
  return out as { [K in keyof T]: string };
}

export interface OpensslServer {
  readonly port: number;
  readonly output: () => string;
  stop(): void;
}

/** `openssl s_server -rev`: echoes each line reversed, so a client can tell it got through. */
export function startOpensslServer(args: readonly string[]): Promise<OpensslServer> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-rev', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    const onData = (d: Buffer) => {
      output += d.toString();
      const match = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(output);
      if (match) resolve({ port: Number(match[1]), output: () => output, stop: () => child.kill('SIGTERM') });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`s_server exited (${code}): ${output}`)));
  });
}
