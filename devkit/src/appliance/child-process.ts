// The launcher's children (control plane, agent): spawned in their own process group with their
// output appended to a log file, stopped with SIGTERM and, past a deadline, SIGKILL to the whole
// group — so a Ctrl-C in the terminal reaches only the launcher, which stops them in order.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';

export interface ChildSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
}

export class ManagedChild {
  readonly name: string;
  readonly logFile: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  #exitCode: number | null | undefined;

  constructor(spec: ChildSpec) {
    this.name = spec.name;
    this.logFile = spec.logFile;
    const log = openSync(spec.logFile, 'a');
    try {
      this.#child = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env: spec.env,
        stdio: ['ignore', log, log],
        // Its own process group: the terminal's SIGINT does not reach it, and a stop can
        // signal everything it started (ffmpeg, workers) at once.
        detached: true,
      });
    } finally {
      closeSync(log);
    }
    this.#exited = new Promise((resolve) => {
      this.#child.once('exit', (code, signal) => {
        this.#exitCode = code ?? (signal ? null : 0);
        resolve(this.#exitCode);
      });
      this.#child.once('error', () => {
        this.#exitCode = null;
        resolve(null);
      });
    });
  }

  get pid(): number {
    if (this.#child.pid === undefined) throw new Error(`${this.name} did not start`);
    return this.#child.pid;
  }

  get running(): boolean {
    return this.#exitCode === undefined;
  }

  get exited(): Promise<number | null> {
    return this.#exited;
  }

  /** The last lines of its log, for an error message. */
  tail(lines = 20): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }

  /** SIGTERM, then SIGKILL to its whole group after `graceMs`. Resolves once it has exited. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) {
      this.#killGroup('SIGKILL');
      return;
    }
    this.#signal('SIGTERM');
    const timer = setTimeout(() => this.#killGroup('SIGKILL'), graceMs);
    await this.#exited;
    clearTimeout(timer);
    // Whatever it started and left behind goes with it.
    this.#killGroup('SIGKILL');
  }

  /** Synchronous last resort for process exit handlers. */
  killNow(): void {
    this.#killGroup('SIGKILL');
  }

  #signal(signal: NodeJS.Signals): void {
    try {
      process.kill(this.pid, signal);
    } catch {
      // already gone
    }
  }

  #killGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // no such group: everything in it has exited
    }
  }
}
