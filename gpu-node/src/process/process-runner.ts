// The one place in gpu-node that starts child processes. Everything else (the sandbox, ffmpeg
// helpers, nvidia-smi, the face worker's decoder and encoder) goes through here, so how a child
// is started, killed and reaped is decided once.
//
// Children start as leaders of their own process group (`detached`), so a kill reaches the
// whole tree a tool may fork (the face worker's ffmpeg pair, x264's helpers) and not the agent.
import { spawn } from 'node:child_process';
import { Readable, type Writable } from 'node:stream';

export interface ProcessSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  /** The complete environment of the child: nothing is inherited from this process. */
  readonly env: Readonly<Record<string, string>>;
  readonly stdin?: 'ignore' | 'pipe';
  /** Aborting kills the child's process group: SIGTERM, then SIGKILL after `killGraceMs`. */
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
  readonly killGraceMs?: number;
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Killed because the caller's AbortSignal fired. */
  readonly aborted: boolean;
  readonly timedOut: boolean;
}

export interface RunningProcess {
  readonly pid: number;
  readonly stdin: Writable | null;
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Settles once the child has exited and its stdio has closed; rejects only if it never started. */
  readonly exited: Promise<ProcessExit>;
}

export interface RunOptions extends ProcessSpec {
  /** Called with each complete stdout line (without the newline). */
  readonly onStdoutLine?: (line: string) => void;
  readonly onStderrLine?: (line: string) => void;
  /** Keep at most this many bytes of stdout (default 1 MiB); the rest is dropped. */
  readonly stdoutLimitBytes?: number;
}

export interface ProcessResult extends ProcessExit {
  readonly stdout: Buffer;
  /** The last few KiB of stderr. It may quote media metadata: for local diagnostics only. */
  readonly stderrTail: string;
}

export class ProcessStartError extends Error {
  readonly command: string;
  constructor(command: string, cause: unknown) {
    super(`could not start ${command}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`, { cause });
    this.name = 'ProcessStartError';
    this.command = command;
  }
}

const DEFAULT_GRACE_MS = 2_000;
const STDERR_TAIL_CHARS = 4_096;

export interface ProcessRunner {
  start(spec: ProcessSpec): RunningProcess;
  run(options: RunOptions): Promise<ProcessResult>;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone, which is what we wanted.
  }
}

/** What an abort before the start looks like: nothing ran, and the exit says why. */
function neverStarted(): RunningProcess {
  return {
    pid: -1,
    stdin: null,
    stdout: Readable.from([]),
    stderr: Readable.from([]),
    exited: Promise.resolve({ code: null, signal: null, aborted: true, timedOut: false }),
  };
}

function start(spec: ProcessSpec): RunningProcess {
  if (spec.signal?.aborted) return neverStarted();
  const child = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: { ...spec.env },
    stdio: [spec.stdin ?? 'ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let aborted = false;
  let timedOut = false;
  let hardKill: NodeJS.Timeout | undefined;
  const terminate = (): void => {
    if (child.pid === undefined || hardKill !== undefined) return;
    killGroup(child.pid, 'SIGTERM');
    hardKill = setTimeout(
      () => killGroup(child.pid as number, 'SIGKILL'),
      spec.killGraceMs ?? DEFAULT_GRACE_MS,
    );
  };
  const onAbort = (): void => {
    aborted = true;
    terminate();
  };
  spec.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    spec.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          terminate();
        }, spec.timeoutMs);

  const exited = new Promise<ProcessExit>((resolve, reject) => {
    child.once('error', (error) => {
      // 'error' without a pid means the executable could not be started at all.
      if (child.pid === undefined) reject(new ProcessStartError(spec.command, error));
    });
    child.once('exit', () => {
      // Reap whatever the child left behind in its group (a tool's helper, a worker's ffmpeg).
      if (child.pid !== undefined) killGroup(child.pid, 'SIGKILL');
    });
    child.once('close', (code, signal) => {
      spec.signal?.removeEventListener('abort', onAbort);
      clearTimeout(timer);
      clearTimeout(hardKill);
      resolve({ code, signal, aborted, timedOut });
    });
  });
  // An EPIPE on stdin (the child exited early) must not crash the agent; the exit status says why.
  child.stdin?.on('error', () => undefined);
  // Callers await `exited` when they are done with the streams; until then a failed start must
  // not count as an unhandled rejection (which would end the process).
  exited.catch(() => undefined);
  // stdout and stderr are always pipes here (see stdio above).
  return { pid: child.pid ?? -1, stdin: child.stdin, stdout: child.stdout!, stderr: child.stderr!, exited };
}

function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline >= 0) {
      onLine(pending.slice(0, newline).replace(/\r$/, ''));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
    // ffmpeg rewrites its status line with \r; keep memory bounded on such streams.
    if (pending.length > 65_536) pending = pending.slice(-65_536);
  };
}

async function run(options: RunOptions): Promise<ProcessResult> {
  const child = start(options);
  const limit = options.stdoutLimitBytes ?? 1 << 20;
  const stdoutChunks: Buffer[] = [];
  let stdoutBytes = 0;
  let stderrTail = '';
  const stdoutLines = options.onStdoutLine ? lineSplitter(options.onStdoutLine) : undefined;
  const stderrLines = options.onStderrLine ? lineSplitter(options.onStderrLine) : undefined;
  child.stdout.on('data', (chunk: Buffer) => {
    if (stdoutBytes < limit) {
      stdoutChunks.push(chunk.subarray(0, limit - stdoutBytes));
      stdoutBytes += Math.min(chunk.length, limit - stdoutBytes);
    }
    stdoutLines?.(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    stderrLines?.(chunk);
  });
  const exit = await child.exited;
  return { ...exit, stdout: Buffer.concat(stdoutChunks), stderrTail };
}

/** The real runner. Tests of pure logic never need another: they do not start processes. */
export const processRunner: ProcessRunner = { start, run };
