// Runs a harness script as a child Node process, collects its stdout lines, and can kill it
// with SIGKILL: the "kill -9 at a random moment" of the crash tests.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildRun {
  readonly lines: string[];
  readonly stderr: string[];
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The child's process id (benchmarks read its memory from /proc). */
  readonly pid: number | undefined;
  /** A line matching `pattern`, printed already or yet to come; `fresh` ignores lines printed so far. */
  waitForLine(pattern: RegExp, timeoutMs?: number, fresh?: boolean): Promise<string>;
  kill9(): Promise<void>;
  /** SIGTERM, then the exit: a clean shutdown. */
  terminate(): Promise<void>;
}

export function runChild(script: string, env: Record<string, string>): ChildRun {
  const child: ChildProcess = spawn(process.execPath, [script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  collectLines(child.stdout, (line) => {
    lines.push(line);
    for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(line);
    }
  });
  collectLines(child.stderr, (line) => stderr.push(line));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    pid: child.pid,
    lines,
    stderr,
    exited,
    waitForLine(pattern, timeoutMs = 30_000, fresh = false) {
      const seen = fresh ? undefined : lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `child printed no line matching ${pattern}; stderr:\n${stderr.slice(-20).join('\n')}`,
              ),
            ),
          timeoutMs,
        );
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(
            new Error(`child exited before printing ${pattern}; stderr:\n${stderr.slice(-20).join('\n')}`),
          );
        });
      });
    },
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function collectLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  let partial = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  });
}
