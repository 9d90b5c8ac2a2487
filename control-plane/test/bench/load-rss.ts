// Resident memory of another process (the control plane child), read from /proc/<pid>/status:
// VmRSS sampled every 250 ms for per-phase peaks, VmHWM for the peak of its whole life.
import { readFileSync } from 'node:fs';

const MIB = 1024;

function statusKib(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  if (match === null) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]);
}

const mib = (kib: number) => Math.round((kib / MIB) * 10) / 10;

export class RssSampler {
  #peakKib = 0;
  readonly #timer: NodeJS.Timeout;

  constructor(private readonly pid: number) {
    this.#timer = setInterval(() => this.sample(), 250);
    this.#timer.unref();
    this.sample();
  }

  /** RSS now (MiB), also counted in the phase's peak. */
  sample(): number {
    try {
      const kib = statusKib(this.pid, 'VmRSS');
      this.#peakKib = Math.max(this.#peakKib, kib);
      return mib(kib);
    } catch {
      return Number.NaN; // the process is gone
    }
  }

  /** The highest sample since the last call (or since start), then starts a new phase. */
  phasePeakMib(): number {
    const peak = Math.max(this.#peakKib, statusKibOrZero(this.pid));
    this.#peakKib = 0;
    return mib(peak);
  }

  /** The kernel's high-water mark of the process's whole life. */
  lifetimePeakMib(): number {
    return mib(statusKib(this.pid, 'VmHWM'));
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}

function statusKibOrZero(pid: number): number {
  try {
    return statusKib(pid, 'VmRSS');
  } catch {
    return 0;
  }
}
